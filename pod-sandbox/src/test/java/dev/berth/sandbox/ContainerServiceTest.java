package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.Container;
import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerEventResponse;
import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.cri.api.v1.ContainerFilter;
import dev.berth.cri.api.v1.ContainerMetadata;
import dev.berth.cri.api.v1.ContainerMetrics;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStateValue;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.Metric;
import dev.berth.cri.api.v1.MetricType;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxMetrics;
import dev.berth.cri.api.v1.Signal;
import dev.berth.runtime.OomLimit;
import dev.berth.runtime.cgroup.MemoryLimitBelowUsageException;
import dev.berth.runtime.sys.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container CRI semantics over a fake runtime and fake images: states, retries, filters, events, recovery. */
class ContainerServiceTest {
    @TempDir
    Path dir;
    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeCgroups cgroups = new FakeCgroups();
    private final FakeNetwork network = new FakeNetwork();
    private final FakeImages images = new FakeImages();
    private final ContainerEvents events = new ContainerEvents();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private final FakeTicker ticker = new FakeTicker();
    private SandboxService sandboxes;
    private ContainerService containers;
    private PodSandboxConfig pod;
    private String podId;

    /** Exits are recorded on their own threads: let them finish before the temp dir goes. */
    @AfterEach
    void close() {
        if (sandboxes != null) {
            sandboxes.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        reopen();
        pod = Pods.config("web", 0);
        podId = sandboxes.run(pod, "");
    }

    private void reopen() {
        sandboxes = SandboxService.open(new SandboxSettings(dir.resolve("root"), dir.resolve("state"), null, dir.resolve("etc")),
                runtime, cgroups, network, images, new RecordingSyscalls(), events, clock, ticker,
                () -> String.format("%064x", ids.incrementAndGet()));
        containers = sandboxes.containers();
    }

    private static ContainerConfig config(String name) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(1))
                .setImage(ImageSpec.newBuilder().setImage(FakeImages.IMAGE))
                .setLogPath(name + "/1.log")
                .putLabels("tier", name)
                .build();
    }

    @Test
    void createStartExitAndRemoveWalkTheStatesWithEvents() throws Exception {
        List<ContainerEventResponse> seen = new ArrayList<>();
        ContainerEvents.Subscription sub = events.subscribe(100, () -> {});
        String id = containers.create(podId, config("app"), pod);
        ContainerStatus created = containers.status(id);
        assertEquals(ContainerState.CONTAINER_CREATED, created.getState());
        assertEquals("/var/log/pods/default_web/app/1.log", created.getLogPath());
        assertEquals(FakeImages.ID, created.getImageId());
        assertTrue(created.getImageRef().startsWith("example.test/app@sha256:"));
        assertEquals(Signal.SIGQUIT, created.getStopSignal(), "the image's STOPSIGNAL");
        assertEquals(List.of("/bin/app"), runtime.specs.get(id).process().args());

        containers.start(id.substring(0, 10));
        assertEquals(ContainerState.CONTAINER_RUNNING, containers.status(id).getState());
        runtime.exitWith(id, 0, false);
        ContainerStatus done = awaitExited(id);
        assertEquals("Completed", done.getReason());
        assertEquals(1_800_000_000L * 1_000_000_000L, done.getFinishedAt());

        containers.remove(id);
        containers.remove(id);
        assertEquals(List.of("mount " + id, "release " + id), images.calls);
        for (ContainerEventResponse e; (e = sub.poll()) != null; ) {
            seen.add(e);
        }
        assertEquals(List.of(ContainerEventType.CONTAINER_CREATED_EVENT, ContainerEventType.CONTAINER_STARTED_EVENT,
                ContainerEventType.CONTAINER_STOPPED_EVENT, ContainerEventType.CONTAINER_DELETED_EVENT),
                seen.stream().filter(e -> e.getContainerId().equals(id)).map(ContainerEventResponse::getContainerEventType).toList());
        assertThrows(SandboxException.class, () -> containers.status(id));
    }

    private ContainerStatus awaitExited(String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            ContainerStatus s = containers.status(id);
            if (s.getState() == ContainerState.CONTAINER_EXITED && dir.resolve("root/containers/" + id + "/record.json").toFile().exists()
                    && recordFinished(id)) {
                return s;
            }
            Thread.sleep(10);
        }
        return containers.status(id);
    }

    private boolean recordFinished(String id) {
        try {
            return Files.readString(dir.resolve("root/containers/" + id + "/record.json")).contains("\"finishedAtNanos\" : 1800000000000000000");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void oomAndErrorExitsHaveTheirReasons() throws Exception {
        String oom = containers.create(podId, config("oom"), pod);
        String err = containers.create(podId, config("err"), pod);
        containers.start(oom);
        containers.start(err);
        runtime.exitWith(oom, 137, true);
        runtime.exitWith(err, 2, false);
        assertEquals("OOMKilled", awaitExited(oom).getReason());
        assertEquals("Error", awaitExited(err).getReason());
        assertEquals(2, containers.status(err).getExitCode());
    }

    @Test
    void limitsTheHostsCgroupsRefuseAreAnInvalidArgumentNamingTheContainerAndKeepNoName() {
        runtime.failCreate = new IllegalArgumentException("cannot apply unified (cgroup v2) settings; memory.high: this host has no"
                + " cgroup v2 hierarchy (cgroup v1); leave them out here, or run the pod on a cgroup v2 node");

        SandboxException e = assertThrows(SandboxException.class, () -> containers.create(podId, config("app"), pod));

        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().startsWith("container app: resources: cannot apply unified (cgroup v2) settings; memory.high"),
                e.getMessage());
        assertEquals(0, containers.list(null).size(), "no container recorded");
        String id = containers.create(podId, config("app"), pod);
        assertEquals(List.of(id), containers.list(null).stream().map(Container::getId).toList(), "the name was released");
    }

    @Test
    void anOomKillSaysWhoseLimitItWasAlsoInTheRecordAfterARestart() throws Exception {
        String own = containers.create(podId, config("own"), pod);
        String shared = containers.create(podId, config("shared"), pod);
        String node = containers.create(podId, config("node"), pod);
        for (String id : List.of(own, shared, node)) {
            containers.start(id);
        }
        runtime.oomKilled(own, new OomLimit(OomLimit.Scope.CONTAINER, "/berth/" + podId + "/" + own, 33554432));
        runtime.oomKilled(shared, new OomLimit(OomLimit.Scope.PARENT, "/berth/" + podId, 67108864));
        runtime.oomKilled(node, new OomLimit(OomLimit.Scope.OTHER, "", 0));

        assertEquals("the OOM killer ended it at the container's own memory limit of 33554432 bytes (cgroup /berth/" + podId + "/"
                + own + ")", awaitExited(own).getMessage());
        assertEquals("the OOM killer ended it at the pod's memory limit of 67108864 bytes (cgroup /berth/" + podId
                + ", shared by the pod's containers), not at the container's own", awaitExited(shared).getMessage());
        assertTrue(awaitExited(node).getMessage().startsWith("the OOM killer ended it, but neither the container's nor the pod's"));
        assertEquals("OOMKilled", containers.status(shared).getReason());

        runtime.containers.remove(shared); // the runtime forgot it: the record alone tells
        reopen();
        assertEquals("OOMKilled", containers.status(shared).getReason());
        assertTrue(containers.status(shared).getMessage().contains("the pod's memory limit of 67108864 bytes"));
    }

    @Test
    void containersOfAPodWithoutCgroupParentGoInBerthsPodCgroup() {
        String id = containers.create(podId, config("app"), pod);
        assertEquals("/berth/" + podId + "/" + id, runtime.specs.get(id).linux().cgroupsPath());
        assertEquals("/berth/" + podId + "/" + podId, runtime.specs.get(podId).linux().cgroupsPath(), "the pause beside it");
    }

    @Test
    void aMemoryLimitBelowTheUsageIsAFailedPreconditionWithTheUsage() {
        String id = containers.create(podId, config("app"), pod);
        containers.start(id);
        runtime.failUpdate = new MemoryLimitBelowUsageException(Path.of("/sys/fs/cgroup/memory/x"), "memory.limit_in_bytes",
                8388608, 41943040, 0);

        SandboxException e = assertThrows(SandboxException.class,
                () -> containers.updateResources(id, LinuxContainerResources.newBuilder().setMemoryLimitInBytes(8388608).build()));

        assertEquals(SandboxException.Kind.FAILED_PRECONDITION, e.kind());
        assertTrue(e.getMessage().startsWith("container " + id + ": cannot set memory.limit_in_bytes of /sys/fs/cgroup/memory/x"
                + " to 8388608 bytes: the cgroup uses 41943040 bytes now"), e.getMessage());
    }

    @Test
    void aRetryReturnsTheSameContainerAndAnotherSandboxCannotTakeTheName() {
        String id = containers.create(podId, config("app"), pod);
        assertEquals(id, containers.create(podId, config("app"), pod));
        assertEquals(1, containers.list(null).size());
        PodSandboxConfig nextAttempt = Pods.config("web", 1);
        String otherPod = sandboxes.run(nextAttempt, "");
        SandboxException taken = assertThrows(SandboxException.class, () -> containers.create(otherPod, config("app"), nextAttempt));
        assertEquals(SandboxException.Kind.ALREADY_EXISTS, taken.kind());
        assertTrue(taken.getMessage().contains(id), taken.getMessage());
        SandboxException e = assertThrows(SandboxException.class, () -> containers.create(podId, config(""), pod));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        SandboxException noImage = assertThrows(SandboxException.class,
                () -> containers.create(podId, config("x").toBuilder().setImage(ImageSpec.newBuilder().setImage("other:1")).build(), pod));
        assertEquals(SandboxException.Kind.NOT_FOUND, noImage.kind());
        assertTrue(noImage.getMessage().contains("pull it first"), noImage.getMessage());
        assertFalse(Files.exists(dir.resolve("state/containers/" + String.format("%064x", ids.get()))), "no bundle left behind");
    }

    @Test
    void stopUsesTheStopSignalAndIsIdempotent() {
        String id = containers.create(podId, config("app"), pod);
        containers.start(id);
        containers.stop(id, Duration.ofSeconds(5));
        assertTrue(runtime.calls.contains("kill " + id + " 3"), "SIGQUIT from the image first: " + runtime.calls);
        assertEquals(ContainerState.CONTAINER_EXITED, containers.status(id).getState());
        containers.stop(id, Duration.ofSeconds(5));
        containers.stop("unknown", Duration.ZERO);
    }

    @Test
    void listFiltersByIdSandboxStateAndLabels() {
        String a = containers.create(podId, config("a"), pod);
        String b = containers.create(podId, config("b"), pod);
        containers.start(b);
        assertEquals(List.of(a, b), ids(null));
        assertEquals(List.of(b), ids(ContainerFilter.newBuilder().setState(ContainerStateValue.newBuilder()
                .setState(ContainerState.CONTAINER_RUNNING)).build()));
        assertEquals(List.of(a), ids(ContainerFilter.newBuilder().putLabelSelector("tier", "a").build()));
        assertEquals(List.of(a), ids(ContainerFilter.newBuilder().setId(a).build()));
        assertEquals(List.of(), ids(ContainerFilter.newBuilder().setPodSandboxId("ffff").build()));
    }

    private List<String> ids(ContainerFilter filter) {
        return containers.list(filter).stream().map(c -> c.getId()).toList();
    }

    @Test
    void podMetricsHaveEveryContainerNotExitedLabelledAsCriOLabelsThemFromTheReadingStatsShare() {
        String a = containers.create(podId, config("a"), pod);
        String b = containers.create(podId, config("b"), pod);
        containers.start(a);
        containers.start(b);
        runtime.exitWith(b, 0, false);
        assertEquals(ContainerState.CONTAINER_EXITED, containers.status(b).getState());
        runtime.cpu.put(a, new long[] {100, 2_500_000_000L});
        int readsBefore = runtime.usageReads.get();

        List<PodSandboxMetrics> all = sandboxes.metrics();
        assertEquals(List.of(podId), all.stream().map(PodSandboxMetrics::getPodSandboxId).toList());
        assertEquals(List.of(a), all.get(0).getContainerMetricsList().stream().map(ContainerMetrics::getContainerId).toList(),
                "b has exited");
        Metric cpu = all.get(0).getContainerMetrics(0).getMetricsList().stream()
                .filter(m -> m.getName().equals("container_cpu_usage_seconds_total")).findFirst().orElseThrow();
        assertEquals(List.of(a, FakeImages.IMAGE, "default", "web", "a", "total"), cpu.getLabelValuesList());
        assertEquals(MetricType.COUNTER, cpu.getMetricType());
        assertEquals(2, cpu.getValue().getValue(), "2.5 s are 2 whole seconds");
        assertEquals(100_000_000_000L, cpu.getTimestamp(), "the reading's time");
        assertEquals(2_500_000_000L, containers.stats(a).getCpu().getUsageCoreNanoSeconds().getValue());
        assertEquals(readsBefore + 1, runtime.usageReads.get(), "metrics and stats of one window share one cgroup read");
        assertEquals(sandboxes.metricDescriptors(), MetricDescriptors.ALL);
    }

    @Test
    void podStatsHaveACpuRateOnceEveryMemberHasOne() {
        String a = containers.create(podId, config("a"), pod);
        runtime.cpu.put(a, new long[] {100, 1_000_000_000L});
        runtime.cpu.put(podId, new long[] {100, 0});
        assertFalse(sandboxes.stats(podId).getLinux().getCpu().hasUsageNanoCores(), "one reading has no rate");
        ticker.advance(StatsCache.FRESH);
        runtime.cpu.put(a, new long[] {104, 3_000_000_000L});
        runtime.cpu.put(podId, new long[] {104, 1_000_000_000L});
        var cpu = sandboxes.stats(podId).getLinux().getCpu();
        assertEquals(750_000_000L, cpu.getUsageNanoCores().getValue(), "(2 s + 1 s) of CPU in 4 s");
        assertEquals(4_000_000_000L, cpu.getUsageCoreNanoSeconds().getValue());
    }

    @Test
    void statsGiveUsageAndACpuRateFromTwoReadings() {
        String a = containers.create(podId, config("a"), pod);
        String b = containers.create(podId, config("b"), pod);
        runtime.cpu.put(a, new long[] {100, 5_000_000_000L});
        assertFalse(containers.stats(a).getCpu().hasUsageNanoCores(), "one reading has no rate");
        runtime.cpu.put(a, new long[] {102, 6_000_000_000L});
        assertEquals(5_000_000_000L, containers.stats(a).getCpu().getUsageCoreNanoSeconds().getValue(), "the reading is shared for a while");
        ticker.advance(StatsCache.FRESH);
        var stats = containers.stats(a);
        assertEquals(500_000_000L, stats.getCpu().getUsageNanoCores().getValue(), "1 s of CPU in 2 s is half a core");
        assertEquals(6_000_000_000L, stats.getCpu().getUsageCoreNanoSeconds().getValue());
        assertEquals(4096L, stats.getMemory().getWorkingSetBytes().getValue());
        assertEquals(List.of(b), containers.listStats(dev.berth.cri.api.v1.ContainerStatsFilter.newBuilder()
                .putLabelSelector("tier", "b").build()).stream().map(s -> s.getAttributes().getId()).toList());
        containers.remove(a);
        assertEquals(List.of(b), containers.listStats(null).stream().map(s -> s.getAttributes().getId()).toList());
    }

    @Test
    void stoppingAndRemovingTheSandboxTakesItsContainers() {
        String id = containers.create(podId, config("app"), pod);
        containers.start(id);
        sandboxes.stop(podId);
        assertEquals(ContainerState.CONTAINER_EXITED, containers.status(id).getState());
        assertTrue(runtime.calls.contains("kill " + id + " 9"), "killed at once: " + runtime.calls);
        sandboxes.remove(podId);
        assertTrue(containers.list(null).isEmpty());
        assertFalse(runtime.containers.containsKey(id));
    }

    @Test
    void updateAndReopenLogNeedALiveContainer() {
        String id = containers.create(podId, config("app"), pod);
        containers.updateResources(id, LinuxContainerResources.newBuilder().setCpuShares(512).build());
        assertEquals(512, containers.status(id).getResources().getLinux().getCpuShares(), "status reports the new resources");
        assertTrue(runtime.calls.stream().anyMatch(c -> c.startsWith("update " + id)), runtime.calls.toString());
        SandboxException e = assertThrows(SandboxException.class, () -> containers.reopenLog(id));
        assertEquals(SandboxException.Kind.FAILED_PRECONDITION, e.kind());
        containers.start(id);
        containers.reopenLog(id);
        assertTrue(runtime.calls.contains("reopen " + id));
    }

    @Test
    void aNewServiceFindsRecordsTakesMissedExitsAndRemovesHalfMadeContainers() throws Exception {
        String running = containers.create(podId, config("running"), pod);
        String ended = containers.create(podId, config("ended"), pod);
        containers.start(running);
        containers.start(ended);
        Files.createDirectories(dir.resolve("state/containers/half"));
        runtime.exitWith(ended, 5, false);
        reopen();
        assertEquals(ContainerState.CONTAINER_RUNNING, containers.status(running).getState());
        assertEquals(5, containers.status(ended).getExitCode());
        assertFalse(Files.exists(dir.resolve("state/containers/half")), "a bundle without a record is cleaned up");
        assertEquals(running, containers.create(podId, config("running"), pod), "names are reserved again");
    }
}
