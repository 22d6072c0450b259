package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerStats;
import dev.berth.cri.api.v1.ListContainerStatsRequest;
import dev.berth.cri.api.v1.PodSandboxConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ListContainerStats through the CRI socket against what the kernel says: 50 containers in one
 * call, and a container with a known load (CPU spent, then 32 MiB held in its /dev/shm) whose
 * numbers match its cgroup files.
 */
@Tag("root")
class StatsSocketTest {
    private static final long MIB = 1 << 20;
    /** Stats readings are shared for a second; waiting longer makes the next one fresh. */
    private static final long PAST_THE_STATS_CACHE_MILLIS = 1100;

    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]");

    @TempDir
    Path dir;
    private PodFixture pods;
    private String busybox;
    private HostCgroups cgroups;

    @BeforeEach
    void start() throws Exception {
        pods = IMAGES.startPods(dir);
        busybox = IMAGES.busybox();
        cgroups = HostCgroups.detect();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pods != null) {
            pods.close();
        }
    }

    @Test
    void fiftyContainersComeInOneCallAndAKnownLoadMatchesTheCgroupFiles() throws Exception {
        PodSandboxConfig pod = pods.pod("stats");
        String podId = pods.runPod(pod);
        String loaded = pods.createAndStart(podId, pod, pods.container("loaded", busybox, "sh", "-c",
                "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; head -c 33554432 /dev/zero > /dev/shm/blob;"
                        + " touch /tmp/ready; exec sleep 100000"));
        List<String> ids = new ArrayList<>(List.of(loaded));
        for (int i = 1; i < 50; i++) {
            ids.add(pods.createAndStart(podId, pod, pods.container("idle-" + i, busybox, "sleep", "100000")));
        }
        pods.sh(loaded, "while [ ! -e /tmp/ready ]; do sleep 0.1; done"); // its load is done: the numbers stand still
        Thread.sleep(PAST_THE_STATS_CACHE_MILLIS);

        String cgroup = pods.cgroupParent + "/" + loaded;
        long cpuBefore = cgroups.cpuNanos(cgroup);
        long memoryBefore = cgroups.memoryUsage(cgroup);
        List<ContainerStats> all = pods.runtime.listContainerStats(ListContainerStatsRequest.getDefaultInstance()).getStatsList();
        long cpuAfter = cgroups.cpuNanos(cgroup);
        long memoryAfter = cgroups.memoryUsage(cgroup);

        assertEquals(Set.copyOf(ids), all.stream().map(s -> s.getAttributes().getId()).collect(Collectors.toSet()),
                "every container, in one answer");
        ContainerStats stats = all.stream().filter(s -> s.getAttributes().getId().equals(loaded)).findFirst().orElseThrow();
        long cpu = stats.getCpu().getUsageCoreNanoSeconds().getValue();
        assertTrue(cpu >= cpuBefore * 0.97 && cpu <= cpuAfter * 1.03,
                "CPU time " + cpu + " ns, the cgroup said " + cpuBefore + " to " + cpuAfter);
        long memory = stats.getMemory().getUsageBytes().getValue();
        assertTrue(memory >= memoryBefore * 0.97 && memory <= memoryAfter * 1.03,
                "memory usage " + memory + " B, the cgroup said " + memoryBefore + " to " + memoryAfter);
        long workingSet = stats.getMemory().getWorkingSetBytes().getValue();
        assertTrue(workingSet >= 32 * MIB && workingSet <= memory, "the 32 MiB in /dev/shm are in the working set: " + workingSet);
        for (ContainerStats idle : all) {
            assertTrue(idle.getMemory().getWorkingSetBytes().getValue() > 0, "every container has its own numbers: " + idle);
        }
    }
}
