package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.Capability;
import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerFilter;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStateValue;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ExecSyncRequest;
import dev.berth.cri.api.v1.ExecSyncResponse;
import dev.berth.cri.api.v1.Int64Value;
import dev.berth.cri.api.v1.KeyValue;
import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.api.v1.ListContainersRequest;
import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.Mount;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.RemoveContainerRequest;
import dev.berth.cri.api.v1.SecurityProfile;
import dev.berth.cri.api.v1.StopContainerRequest;
import dev.berth.cri.api.v1.StopPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods and containers end to end through the daemon's CRI socket: real pause and container
 * processes from berth-shim, a real bridge network from Debian's CNI plugins, images pulled
 * from a real registry (a busybox image this test builds).
 */
@Tag("root")
class ContainerSocketTest {
    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\",\"FROM_IMAGE=yes\"],\"Cmd\":[\"sh\"],\"WorkingDir\":\"/tmp\"");
    private static String busyboxInt;

    @TempDir
    Path dir;
    private PodFixture pods;
    private String busybox;

    @BeforeAll
    static void pushStopSignalImage() throws Exception {
        if (IMAGES.registry() != null) {
            busyboxInt = IMAGES.push("berth/busybox-int", "\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"StopSignal\":\"SIGINT\"");
        }
    }

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
    void containersOfAPodShareItsNamespacesAndWriteCriLogs() throws Exception {
        PodSandboxConfig pod = pods.pod("web").toBuilder()
                .setLinux(pods.pod("web").getLinux().toBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.POD))))
                .build();
        String podId = pods.runPod(pod);
        ContainerConfig first = withPodPid(pods.container("first", busybox, "sh", "-c", "echo hello from $(hostname); echo oops >&2; exec sleep 1000"));
        ContainerConfig second = withPodPid(pods.container("second", busybox, "sleep", "1000"));
        String a = pods.createAndStart(podId, pod, first);
        String b = pods.createAndStart(podId, pod, second);
        assertEquals(ContainerState.CONTAINER_RUNNING, pods.status(a).getState());

        for (String ns : List.of("net", "ipc", "uts", "pid")) {
            assertEquals(pods.sh(a, "readlink /proc/self/ns/" + ns), pods.sh(b, "readlink /proc/self/ns/" + ns), ns + " is shared");
        }
        assertEquals("web", pods.sh(b, "hostname"));
        assertTrue(pods.sh(b, "ps -o comm").contains("sleep"), "the pod's PID namespace shows the other container's sleep");
        assertTrue(pods.sh(a, "cat /etc/resolv.conf /etc/hosts").contains("localhost"));

        Path log = dir.resolve("logs/web/first/0.log");
        assertEquals(log.toString(), pods.status(a).getLogPath());
        String logText = awaitLog(log, "oops");
        Pattern line = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+(Z|[+-]\\d\\d:\\d\\d) (stdout|stderr) F .*$");
        for (String l : logText.split("\n")) {
            assertTrue(line.matcher(l).matches(), "CRI log line: " + l);
        }
        assertTrue(logText.contains(" stdout F hello from web"), logText);
        assertTrue(logText.contains(" stderr F oops"), logText);

        dev.berth.cri.api.v1.PodSandboxStats podStats = pods.runtime.podSandboxStats(
                dev.berth.cri.api.v1.PodSandboxStatsRequest.newBuilder().setPodSandboxId(podId).build()).getStats();
        assertEquals(2, podStats.getLinux().getContainersCount());
        assertEquals("eth0", podStats.getLinux().getNetwork().getDefaultInterface().getName());
        assertTrue(podStats.getLinux().getMemory().getWorkingSetBytes().getValue() > 0, podStats.toString());
        assertTrue(podStats.getLinux().getProcess().getProcessCount().getValue() >= 3, "pause, sleep and sh: " + podStats);

        List<String> listed = pods.runtime.listContainers(ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().setPodSandboxId(podId.substring(0, 12))).build())
                .getContainersList().stream().map(c -> c.getId()).toList();
        assertEquals(List.of(a, b), listed);
    }

    private static ContainerConfig withPodPid(ContainerConfig c) {
        return c.toBuilder().setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.POD)))).build();
    }

    private static String awaitLog(Path log, String wanted) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(log) && Files.readString(log).contains(wanted)) {
                return Files.readString(log);
            }
            Thread.sleep(50);
        }
        return Files.exists(log) ? Files.readString(log) : "(no log file " + log + ")";
    }

    @Test
    void securityContextEnvAndMountsAreWhatTheProcessSees() throws Exception {
        PodSandboxConfig pod = pods.pod("secure");
        String podId = pods.runPod(pod);
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("data.txt"), "from the host\n");
        ContainerConfig c = pods.container("app", busybox, "sleep", "1000").toBuilder()
                .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue(com.google.protobuf.ByteString.copyFromUtf8("hi")))
                .addMounts(Mount.newBuilder().setHostPath(volume.toString()).setContainerPath("/data").setReadonly(true))
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                        .setRunAsUser(Int64Value.newBuilder().setValue(1000))
                        .addSupplementalGroups(4000)
                        .setReadonlyRootfs(true)
                        .setNoNewPrivs(true)
                        .setCapabilities(Capability.newBuilder().addDropCapabilities("ALL").addAddCapabilities("NET_BIND_SERVICE"))
                        .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))))
                .build();
        String id = pods.createAndStart(podId, pod, c);

        String ids = pods.sh(id, "id");
        assertTrue(ids.startsWith("uid=1000(app) gid=1000(app)"), ids);
        assertTrue(ids.contains("3000(extra)") && ids.contains("4000"), "groups from /etc/group and supplemental: " + ids);
        String env = pods.sh(id, "env");
        assertTrue(env.contains("GREETING=hi") && env.contains("FROM_IMAGE=yes") && env.contains("HOSTNAME=secure"), env);
        assertEquals("/tmp", pods.sh(id, "pwd"), "working dir from the image");
        assertEquals("from the host", pods.sh(id, "cat /data/data.txt"));
        assertEquals("ro", pods.sh(id, "touch /data/x 2>/dev/null && echo rw || echo ro"));
        assertEquals("ro", pods.sh(id, "touch /bin/x 2>/dev/null && echo rw || echo ro"), "read-only rootfs");
        String status = pods.sh(id, "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status");
        assertTrue(status.contains("CapBnd:\t0000000000000400"), "only NET_BIND_SERVICE is left: " + status);
        assertTrue(status.contains("NoNewPrivs:\t1"), status);
        assertTrue(status.contains("Seccomp:\t2"), "a seccomp filter is on: " + status);
    }

    @Test
    void execSyncReturnsOutputAndExitCodeKillsOnTimeoutAndCapsOutputAndStatsCountUsage() throws Exception {
        PodSandboxConfig pod = pods.pod("exec");
        String id = pods.createAndStart(pods.runPod(pod), pod, pods.container("c", busybox, "sleep", "1000"));

        ExecSyncResponse r = pods.exec(id, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals("out\n", r.getStdout().toStringUtf8());
        assertEquals("err\n", r.getStderr().toStringUtf8());
        assertEquals(3, r.getExitCode());

        StatusRuntimeException timeout = assertThrows(StatusRuntimeException.class, () -> pods.runtime.execSync(
                ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(List.of("sleep", "77")).setTimeout(1).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, timeout.getStatus().getCode());
        String processes = pods.sh(id, "ps -o stat,args");
        assertFalse(processes.contains("sleep 77"), "the timed-out process was killed: " + processes);
        assertFalse(processes.lines().anyMatch(l -> l.startsWith("Z")), "and reaped, not left a zombie: " + processes);

        pods.sh(id, "head -c 1048576 /dev/zero > /tmp/blob");
        dev.berth.cri.api.v1.ContainerStats stats = pods.runtime.containerStats(
                dev.berth.cri.api.v1.ContainerStatsRequest.newBuilder().setContainerId(id).build()).getStats();
        assertEquals(id, stats.getAttributes().getId());
        assertTrue(stats.getCpu().getUsageCoreNanoSeconds().getValue() > 0, stats.toString());
        assertTrue(stats.getMemory().getWorkingSetBytes().getValue() > 0, stats.toString());
        assertTrue(stats.getWritableLayer().getUsedBytes().getValue() >= 1048576, "the written file counts: " + stats);
        assertEquals(List.of(id), pods.runtime.listContainerStats(dev.berth.cri.api.v1.ListContainerStatsRequest.getDefaultInstance())
                .getStatsList().stream().map(x -> x.getAttributes().getId()).toList());

        // 16 MiB of output plus the message's own bytes is more than a client takes by default.
        ExecSyncResponse big = pods.runtime.withMaxInboundMessageSize(40 << 20).execSync(ExecSyncRequest.newBuilder()
                .setContainerId(id).addAllCmd(List.of("sh", "-c", "head -c 20000000 /dev/zero")).setTimeout(30).build());
        assertEquals(16 << 20, big.getStdout().size(), "stdout is cut at 16 MiB");
        assertEquals(0, big.getExitCode());
    }

    @Test
    void stopSendsTheImageStopSignalAndKillsAfterTheTimeout() throws Exception {
        pods.pull(busyboxInt);
        PodSandboxConfig pod = pods.pod("stop");
        String podId = pods.runPod(pod);
        // Init of its own PID namespace: signals without a handler are ignored, so only the trap ends it.
        String polite = pods.createAndStart(podId, pod, pods.container("polite", busyboxInt, "sh", "-c",
                "trap 'echo got INT; exit 0' INT; while true; do sleep 0.1; done"));
        String stubborn = pods.createAndStart(podId, pod, pods.container("stubborn", busybox, "sh", "-c",
                "trap 'echo ignoring TERM' TERM; while true; do sleep 0.1; done"));
        Thread.sleep(300);

        pods.runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(polite).setTimeout(20).build());
        ContainerStatus p = pods.status(polite);
        assertEquals(ContainerState.CONTAINER_EXITED, p.getState());
        assertEquals(0, p.getExitCode());
        assertEquals("Completed", p.getReason());

        pods.runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(stubborn).setTimeout(1).build());
        ContainerStatus s = pods.status(stubborn);
        assertEquals(137, s.getExitCode(), "SIGKILL after the timeout");
        assertEquals("Error", s.getReason());
        assertTrue(s.getFinishedAt() >= s.getStartedAt() && s.getStartedAt() >= s.getCreatedAt());

        pods.runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(stubborn).setTimeout(1).build());
        pods.runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(stubborn).build());
        pods.runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(stubborn).build());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pods.status(stubborn)).getStatus().getCode());
    }

    @Test
    void aContainerOverItsMemoryLimitIsReportedOomKilled() throws Exception {
        PodSandboxConfig pod = pods.pod("oom");
        ContainerConfig hog = pods.container("hog", busybox, "sh", "-c", "tail /dev/zero").toBuilder()
                .setLinux(LinuxContainerConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
                        .setMemoryLimitInBytes(32 << 20).setMemorySwapLimitInBytes(32 << 20)))
                .build();
        String id = pods.createAndStart(pods.runPod(pod), pod, hog);
        ContainerStatus s = pods.awaitState(id, ContainerState.CONTAINER_EXITED, Duration.ofSeconds(60));
        assertEquals(ContainerState.CONTAINER_EXITED, s.getState());
        assertEquals("OOMKilled", s.getReason());
        assertEquals(137, s.getExitCode());
        assertTrue(s.getMessage().contains("the container's own memory limit of 33554432 bytes (cgroup " + pods.cgroupParent + "/" + id),
                s.getMessage());
    }

    @Test
    void retriesReturnTheSameObjectsAndStopPodStopsItsContainers() throws Exception {
        PodSandboxConfig pod = pods.pod("retry");
        String podId = pods.runPod(pod);
        assertEquals(podId, pods.runPod(pod), "a retried RunPodSandbox returns the first sandbox");
        ContainerConfig c = pods.container("c", busybox, "sleep", "1000");
        String id = pods.createAndStart(podId, pod, c);
        assertEquals(id, pods.create(podId, pod, c), "a retried CreateContainer returns the first container");

        pods.runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        assertEquals(ContainerState.CONTAINER_EXITED, pods.status(id).getState());
        assertEquals(List.of(id), pods.runtime.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
                .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_EXITED))).build())
                .getContainersList().stream().map(x -> x.getId()).toList());
        StatusRuntimeException notReady = assertThrows(StatusRuntimeException.class,
                () -> pods.create(podId, pod, pods.container("late", busybox, "true")));
        assertEquals(Status.Code.FAILED_PRECONDITION, notReady.getStatus().getCode());
    }

    @Test
    void subscribersGetEveryLifecycleEventInOrder() throws Exception {
        java.util.concurrent.BlockingQueue<dev.berth.cri.api.v1.ContainerEventResponse> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        io.grpc.Context.CancellableContext subscription = io.grpc.Context.current().withCancellation();
        subscription.run(() -> dev.berth.cri.api.v1.RuntimeServiceGrpc.newStub(pods.client.channel()).getContainerEvents(
                dev.berth.cri.api.v1.GetEventsRequest.getDefaultInstance(), new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(dev.berth.cri.api.v1.ContainerEventResponse event) {
                        seen.add(event);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                }));
        try {
            Thread.sleep(200); // the subscription is in place before the first event
            PodSandboxConfig pod = pods.pod("events");
            String podId = pods.runPod(pod);
            String id = pods.createAndStart(podId, pod, pods.container("c", busybox, "true"));
            pods.awaitState(id, ContainerState.CONTAINER_EXITED, Duration.ofSeconds(20));
            pods.runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
            List<String> events = new java.util.ArrayList<>();
            while (events.size() < 6) {
                var e = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                if (e == null) {
                    break;
                }
                events.add((e.getContainerId().equals(podId) ? "pod " : "container ") + e.getContainerEventType());
            }
            assertEquals(List.of("pod CONTAINER_CREATED_EVENT", "pod CONTAINER_STARTED_EVENT", "container CONTAINER_CREATED_EVENT",
                    "container CONTAINER_STARTED_EVENT", "container CONTAINER_STOPPED_EVENT", "container CONTAINER_DELETED_EVENT"), events);
        } finally {
            subscription.cancel(null);
        }
    }

    @Test
    void badRequestsGetAClearCodeAndLeaveNothingBehind() throws Exception {
        PodSandboxConfig pod = pods.pod("bad");
        String podId = pods.runPod(pod);
        assertCode(Status.Code.INVALID_ARGUMENT, "metadata", () -> pods.create(podId, pod, pods.container("x", busybox, "true")
                .toBuilder().clearMetadata().build()));
        assertCode(Status.Code.NOT_FOUND, "pull it first", () -> pods.create(podId, pod, pods.container("x", "nosuch/image:1", "true")));
        assertCode(Status.Code.NOT_FOUND, "not found", () -> pods.create("f00d", pod, pods.container("x", busybox, "true")));
        assertCode(Status.Code.INVALID_ARGUMENT, "memory", () -> pods.create(podId, pod, pods.container("x", busybox, "true")
                .toBuilder().setLinux(LinuxContainerConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
                        .setMemoryLimitInBytes(-5))).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, "/nonexistent", () -> pods.create(podId, pod, pods.container("x", busybox, "true")
                .toBuilder().addMounts(Mount.newBuilder().setHostPath(dir.resolve("nonexistent").toString()).setContainerPath("/m"))
                .build()));
        assertCode(Status.Code.NOT_FOUND, "not found", () -> pods.status("c0ffee"));
        assertEquals(0, pods.runtime.listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
        try (var left = Files.list(dir.resolve("state/containers"))) {
            assertEquals(0, left.count(), "no bundle is left behind");
        } catch (java.nio.file.NoSuchFileException none) {
            // never made: nothing left either
        }
        assertEquals(pods.create(podId, pod, pods.container("x", busybox, "true")).length(), 64, "the name is free again");

        // The next attempt of the pod while the old one's container still holds the name: kubelet must remove it first.
        PodSandboxConfig next = pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().setAttempt(1)).build();
        String nextId = pods.runPod(next);
        assertCode(Status.Code.ALREADY_EXISTS, "remove that container first", () -> pods.create(nextId, next,
                pods.container("x", busybox, "true")));
    }

    private static void assertCode(Status.Code code, String inMessage, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(inMessage), e.getStatus().getDescription());
    }

    @Test
    void aRestartedDaemonFindsItsContainersRunningAndTheExitsThatHappenedMeanwhile() throws Exception {
        PodSandboxConfig pod = pods.pod("restart");
        String podId = pods.runPod(pod);
        String longRunning = pods.createAndStart(podId, pod, pods.container("long", busybox, "sh", "-c",
                "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"));
        Path flag = Files.createDirectories(dir.resolve("flag"));
        String shortLived = pods.createAndStart(podId, pod, pods.container("short", busybox, "sh", "-c",
                "while [ ! -e /flag/go ]; do sleep 0.05; done; exit 7").toBuilder()
                .addMounts(Mount.newBuilder().setHostPath(flag.toString()).setContainerPath("/flag")).build());
        String initStart = "awk '{print $22}' /proc/1/stat"; // the init's start time: the same process or not
        String startedBefore = pods.sh(longRunning, initStart);

        pods.stopDaemon();
        Files.writeString(flag.resolve("go"), "");
        Thread.sleep(1000);
        pods.start();

        assertEquals(ContainerState.CONTAINER_RUNNING, pods.status(longRunning).getState());
        assertEquals(startedBefore, pods.sh(longRunning, initStart), "the same process runs on");
        ContainerStatus exited = pods.status(shortLived);
        assertEquals(ContainerState.CONTAINER_EXITED, exited.getState());
        assertEquals(7, exited.getExitCode());
        String log = Files.readString(Path.of(pods.status(longRunning).getLogPath()));
        Thread.sleep(500);
        assertTrue(Files.readString(Path.of(pods.status(longRunning).getLogPath())).length() > log.length(), "the log goes on");
        assertEquals(1, pods.runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
    }

    @Test
    void aPrivilegedContainerGetsEveryCapabilityBerthHoldsAndBidirectionalMountsReachTheHost() throws Exception {
        PodSandboxConfig pod = pods.pod("priv");
        Path shared = Files.createDirectories(dir.resolve("shared"));
        run("mount", "--bind", shared.toString(), shared.toString());
        try {
            run("mount", "--make-rshared", shared.toString());
            ContainerConfig c = pods.container("admin", busybox, "sleep", "1000").toBuilder()
                    .addMounts(Mount.newBuilder().setHostPath(shared.toString()).setContainerPath("/shared")
                            .setPropagation(dev.berth.cri.api.v1.MountPropagation.PROPAGATION_BIDIRECTIONAL))
                    .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                            .setPrivileged(true)))
                    .build();
            String id = pods.createAndStart(pods.runPod(pod), pod, c);
            String own = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:")).findFirst()
                    .orElseThrow().substring(7).strip();
            assertEquals("CapEff:\t" + own, pods.sh(id, "grep CapEff: /proc/self/status"), "all of Berth's own bounding set");

            pods.sh(id, "mkdir -p /shared/inner && mount -t tmpfs inner /shared/inner && touch /shared/inner/from-container");
            assertTrue(Files.exists(shared.resolve("inner/from-container")), "a mount made in the container shows on the host");
            run("umount", shared.resolve("inner").toString());
        } finally {
            run("umount", "-l", shared.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    @Test
    void fiftyPodsStartInParallel() throws Exception {
        List<PodSandboxConfig> configs = java.util.stream.IntStream.range(0, 50).mapToObj(i -> pods.pod("p" + i)).toList();
        List<String> ids;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(50)) {
            List<java.util.concurrent.Future<String>> runs = configs.stream().map(c -> pool.submit(() -> pods.runPod(c))).toList();
            ids = new java.util.ArrayList<>();
            for (var run : runs) {
                ids.add(run.get());
            }
        }
        assertEquals(50, ids.stream().distinct().count());
        var items = pods.runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
        assertEquals(50, items.size());
        assertTrue(items.stream().allMatch(p -> p.getState() == dev.berth.cri.api.v1.PodSandboxState.SANDBOX_READY));
    }
}
