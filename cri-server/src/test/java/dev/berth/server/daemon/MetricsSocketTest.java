package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerMetrics;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStats;
import dev.berth.cri.api.v1.ContainerStatsRequest;
import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.ListMetricDescriptorsRequest;
import dev.berth.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.berth.cri.api.v1.Metric;
import dev.berth.cri.api.v1.MetricDescriptor;
import dev.berth.cri.api.v1.MetricType;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxMetrics;
import dev.berth.cri.api.v1.StreamPodSandboxMetricsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ListMetricDescriptors and ListPodSandboxMetrics through the daemon's CRI socket, for a real pod
 * with a container that burnt some CPU: the metrics kubelet's /metrics/cadvisor would serve, and
 * numbers that agree with ContainerStats.
 */
@Tag("root")
class MetricsSocketTest {
    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]");

    @TempDir
    Path dir;
    private PodFixture pods;
    private String busybox;

    @BeforeEach
    void start() throws Exception {
        pods = IMAGES.startPods(dir);
        busybox = IMAGES.busybox();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pods != null) {
            pods.close();
        }
    }

    @Test
    void podMetricsDescribeThePodAndItsLiveContainersAndAgreeWithContainerStats() throws Exception {
        PodSandboxConfig pod = pods.pod("metrics");
        String podId = pods.runPod(pod);
        Instant before = Instant.now();
        ContainerConfig burn = pods.container("burn", busybox, "sh", "-c",
                "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; touch /tmp/done; exec sleep 1000").toBuilder()
                .setLinux(LinuxContainerConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
                        .setMemoryLimitInBytes(64 << 20).setCpuShares(256).setCpuPeriod(100_000).setCpuQuota(150_000)))
                .build();
        String id = pods.createAndStart(podId, pod, burn);
        String done = pods.createAndStart(podId, pod, pods.container("done", busybox, "true"));
        assertEquals(ContainerState.CONTAINER_EXITED, pods.awaitState(done, ContainerState.CONTAINER_EXITED, Duration.ofSeconds(30))
                .getState());
        pods.sh(id, "while [ ! -e /tmp/done ]; do sleep 0.1; done"); // the loop has run: its CPU time stands still now

        Map<String, MetricDescriptor> descriptors = pods.runtime.listMetricDescriptors(ListMetricDescriptorsRequest.getDefaultInstance())
                .getDescriptorsList().stream().collect(Collectors.toMap(MetricDescriptor::getName, Function.identity()));
        ContainerStats stats = pods.runtime.containerStats(ContainerStatsRequest.newBuilder().setContainerId(id).build()).getStats();
        PodSandboxMetrics podMetrics = pods.runtime.listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance())
                .getPodMetricsList().stream().filter(p -> p.getPodSandboxId().equals(podId)).findFirst().orElseThrow();

        assertEquals(List.of(id), podMetrics.getContainerMetricsList().stream().map(ContainerMetrics::getContainerId).toList(),
                "the exited container has no metrics");
        List<Metric> metrics = podMetrics.getContainerMetrics(0).getMetricsList();
        for (Metric m : metrics) {
            MetricDescriptor d = descriptors.get(m.getName());
            assertTrue(d != null, "kubelet drops what is not described: " + m.getName());
            assertEquals(d.getLabelKeysCount(), m.getLabelValuesCount(), m.toString());
            assertEquals(List.of(id, busybox, "e2e", "metrics", "burn"), m.getLabelValuesList().subList(0, 5), m.getName());
        }
        Map<String, Metric> byName = metrics.stream().filter(m -> !m.getName().equals("container_memory_failures_total"))
                .collect(Collectors.toMap(Metric::getName, Function.identity()));

        long cpuNanos = stats.getCpu().getUsageCoreNanoSeconds().getValue();
        assertTrue(cpuNanos > 0, stats.toString());
        Metric cpu = byName.get("container_cpu_usage_seconds_total");
        assertEquals(MetricType.COUNTER, cpu.getMetricType());
        assertEquals(cpuNanos / 1_000_000_000L, cpu.getValue().getValue(), 1.0, "the same CPU time in whole seconds: " + cpu);
        long workingSet = stats.getMemory().getWorkingSetBytes().getValue();
        assertEquals(workingSet, byName.get("container_memory_working_set_bytes").getValue().getValue(), workingSet * 0.1,
                "a sleeping shell's working set");
        assertTrue(byName.get("container_memory_usage_bytes").getValue().getValue() > 0);
        assertTrue(byName.get("container_processes").getValue().getValue() >= 1);
        assertEquals(0, byName.get("container_oom_events_total").getValue().getValue());

        assertEquals(64 << 20, byName.get("container_spec_memory_limit_bytes").getValue().getValue());
        assertEquals(256, byName.get("container_spec_cpu_shares").getValue().getValue());
        assertEquals(100_000, byName.get("container_spec_cpu_period").getValue().getValue());
        assertEquals(150_000, byName.get("container_spec_cpu_quota").getValue().getValue());
        long started = byName.get("container_start_time_seconds").getValue().getValue();
        assertTrue(started >= before.getEpochSecond() && started <= Instant.now().getEpochSecond(), "created during the test: " + started);
        assertTrue(byName.containsKey("container_fs_usage_bytes"), "the writable layer");

        Map<String, Metric> eth0 = podMetrics.getMetricsList().stream()
                .filter(m -> m.getLabelValuesList().equals(List.of(podId, "", "e2e", "metrics", "POD", "eth0")))
                .collect(Collectors.toMap(Metric::getName, Function.identity()));
        assertEquals(descriptors.keySet().stream().filter(n -> n.startsWith("container_network_")).collect(Collectors.toSet()),
                eth0.keySet(), "the pod's eth0 counters, labelled as its POD container: " + podMetrics.getMetricsList());

        // StreamPodSandboxMetrics: the same pods, containers and metric names as the List twin (values may move on)
        List<PodSandboxMetrics> streamed = new java.util.ArrayList<>();
        pods.runtime.streamPodSandboxMetrics(StreamPodSandboxMetricsRequest.getDefaultInstance())
                .forEachRemaining(r -> streamed.addAll(r.getPodSandboxMetricsList()));
        PodSandboxMetrics streamedPod = streamed.stream().filter(p -> p.getPodSandboxId().equals(podId)).findFirst().orElseThrow();
        assertEquals(shape(podMetrics), shape(streamedPod));
    }

    /** Container ids and, for the pod and each container, its metric names with their labels. */
    private static List<String> shape(PodSandboxMetrics pod) {
        List<String> out = new java.util.ArrayList<>();
        pod.getMetricsList().forEach(m -> out.add("pod " + m.getName() + m.getLabelValuesList()));
        pod.getContainerMetricsList().forEach(c -> c.getMetricsList().forEach(
                m -> out.add(c.getContainerId() + " " + m.getName() + m.getLabelValuesList())));
        return out;
    }
}
