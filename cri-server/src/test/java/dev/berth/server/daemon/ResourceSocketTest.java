package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ExecSyncResponse;
import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.Mount;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.UpdateContainerResourcesRequest;
import dev.berth.cri.api.v1.UpdatePodSandboxResourcesRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource limits end to end through the CRI socket, enforced by the host's real cgroups: pod
 * cgroups and their limits, OOM kills and whose limit fired (also while the daemon was down),
 * CPU quota throttling, live updates of running containers and pods, nothing left after removal.
 */
@Tag("root")
class ResourceSocketTest {
    private static final long MIB = 1 << 20;

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

    /** A pod without a cgroup parent (as crictl runs one): Berth makes its cgroup. */
    private PodSandboxConfig ownCgroupPod(String name, LinuxContainerResources resources, LinuxContainerResources overhead) {
        PodSandboxConfig pod = pods.pod(name);
        return pod.toBuilder().setLinux(pod.getLinux().toBuilder().clearCgroupParent().setResources(resources).setOverhead(overhead))
                .build();
    }

    private static LinuxContainerResources memory(long bytes) {
        return LinuxContainerResources.newBuilder().setMemoryLimitInBytes(bytes).build();
    }

    private ContainerConfig limited(ContainerConfig c, LinuxContainerResources resources) {
        return c.toBuilder().setLinux(LinuxContainerConfig.newBuilder().setResources(resources)).build();
    }

    private void updateContainer(String id, LinuxContainerResources resources) {
        pods.runtime.updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(id).setLinux(resources).build());
    }

    private void updatePod(String id, LinuxContainerResources resources) {
        pods.runtime.updatePodSandboxResources(UpdatePodSandboxResourcesRequest.newBuilder().setPodSandboxId(id).setResources(resources)
                .build());
    }

    private static void assertCode(Status.Code code, String inMessage, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(inMessage), e.getStatus().getDescription());
    }

    /** Holds {@code bytes} of anonymous memory in a shell variable, then touches /tmp/ready and sleeps. */
    private ContainerConfig holding(String name, long bytes) {
        return pods.container(name, busybox, "sh", "-c",
                "x=$(head -c " + bytes + " /dev/zero | tr '\\0' a); touch /tmp/ready; sleep 1000; echo ${#x}");
    }

    /** Waits in the container for its /tmp/ready (ExecSync's own timeout bounds a broken run). */
    private void awaitReady(String id) {
        assertEquals(0, pods.exec(id, "sh", "-c", "while [ ! -e /tmp/ready ]; do sleep 0.05; done").getExitCode());
    }

    @Test
    void aPodWithoutCgroupParentGetsItsOwnLimitedCgroupWhoseOomKillsNameItAndWhichGoesWithThePod() throws Exception {
        PodSandboxConfig pod = ownCgroupPod("own", memory(48 * MIB), memory(16 * MIB));
        String podId = pods.runPod(pod);
        String podCgroup = "/berth/" + podId;
        assertEquals(Long.toString(64 * MIB), cgroups.read("memory", podCgroup, cgroups.memoryLimitFile()), "resources plus overhead");

        String hog = pods.createAndStart(podId, pod, pods.container("hog", busybox, "sh", "-c", "tail /dev/zero"));
        assertFalse(cgroups.existing(podCgroup + "/" + hog).isEmpty(), "the container's cgroup is inside the pod's");
        ContainerStatus s = pods.awaitState(hog, ContainerState.CONTAINER_EXITED, Duration.ofSeconds(60));
        assertEquals("OOMKilled", s.getReason());
        assertEquals(137, s.getExitCode());
        assertTrue(s.getMessage().contains("the pod's memory limit of " + 64 * MIB + " bytes (cgroup " + podCgroup), s.getMessage());

        pods.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        assertEquals(java.util.List.of(), cgroups.existing(podCgroup), "no directory of the pod's cgroup in any hierarchy");
    }

    @Test
    void anOomKillWhileTheDaemonIsDownIsReportedAfterItsRestart() throws Exception {
        PodSandboxConfig pod = pods.pod("down");
        String podId = pods.runPod(pod);
        Path flag = Files.createDirectories(dir.resolve("flag"));
        ContainerConfig hog = limited(pods.container("hog", busybox, "sh", "-c", "while [ ! -e /flag/go ]; do sleep 0.05; done; tail /dev/zero"),
                memory(32 * MIB)).toBuilder().addMounts(Mount.newBuilder().setHostPath(flag.toString()).setContainerPath("/flag")).build();
        String id = pods.createAndStart(podId, pod, hog);

        pods.stopDaemon();
        Files.writeString(flag.resolve("go"), "");
        Path exitFile = pods.config.state().resolve("runtime").resolve(id).resolve("exit");
        Instant end = Instant.now().plusSeconds(60);
        while (!Files.exists(exitFile) && Instant.now().isBefore(end)) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(exitFile), "the shim recorded the exit while no daemon ran");
        pods.start();

        ContainerStatus s = pods.status(id);
        assertEquals(ContainerState.CONTAINER_EXITED, s.getState());
        assertEquals("OOMKilled", s.getReason());
        assertEquals(137, s.getExitCode());
        assertTrue(s.getMessage().contains("the container's own memory limit of " + 32 * MIB + " bytes"), s.getMessage());
    }

    /** CPU time used per second of wall time over a few seconds. */
    private double cpuRate(String cgroupsPath) throws InterruptedException {
        long used = cgroups.cpuNanos(cgroupsPath);
        long start = System.nanoTime();
        Thread.sleep(3000);
        return (double) (cgroups.cpuNanos(cgroupsPath) - used) / (System.nanoTime() - start);
    }

    /**
     * The quota is an upper bound the kernel enforces; the lower bound is loose because the two CPUs
     * of a busy build machine may not give the loop all of its share.
     */
    @Test
    void aCpuQuotaThrottlesABusyLoopAndALiveUpdateChangesIt() throws Exception {
        PodSandboxConfig pod = pods.pod("cpu");
        String podId = pods.runPod(pod);
        String id = pods.createAndStart(podId, pod, limited(pods.container("spin", busybox, "sh", "-c", "while :; do :; done"),
                LinuxContainerResources.newBuilder().setCpuQuota(20_000).setCpuPeriod(100_000).build()));
        String cgroup = pods.cgroupParent + "/" + id;

        double rate = cpuRate(cgroup);
        assertTrue(rate <= 0.2 * 1.3 && rate >= 0.2 * 0.5, "0.2 CPU at most, and about that: " + rate);
        long throttled = cgroups.keyed("cpu", cgroup, "cpu.stat", "nr_throttled");
        assertTrue(throttled > 0, "the kernel throttled it: nr_throttled " + throttled);

        updateContainer(id, LinuxContainerResources.newBuilder().setCpuQuota(50_000).setCpuPeriod(100_000).build());
        assertEquals(50_000, cgroups.cpuQuota(cgroup), "the file changed");
        rate = cpuRate(cgroup);
        assertTrue(rate <= 0.5 * 1.3 && rate >= 0.5 * 0.5, "0.5 CPU at most now, and about that: " + rate);
    }

    @Test
    void aLiveMemoryUpdateChangesTheLimitAndWhatTheContainerMayAllocate() throws Exception {
        PodSandboxConfig pod = pods.pod("mem");
        String podId = pods.runPod(pod);
        String id = pods.createAndStart(podId, pod, limited(pods.container("app", busybox, "sleep", "1000"), memory(128 * MIB)));
        String cgroup = pods.cgroupParent + "/" + id;
        String allocate = "x=$(head -c " + 32 * MIB + " /dev/zero | tr '\\0' a); echo ${#x}";
        assertEquals(Long.toString(32 * MIB), pods.sh(id, allocate), "32 MiB fit under 128 MiB");

        updateContainer(id, memory(16 * MIB));
        assertEquals(16 * MIB, pods.status(id).getResources().getLinux().getMemoryLimitInBytes(), "status reports the new limit");
        assertEquals(Long.toString(16 * MIB), cgroups.read("memory", cgroup, cgroups.memoryLimitFile()));
        ExecSyncResponse killed = pods.exec(id, "sh", "-c", allocate);
        assertNotEquals(0, killed.getExitCode(), "32 MiB do not fit under 16 MiB: " + killed);
        assertEquals(ContainerState.CONTAINER_RUNNING, pods.status(id).getState(), "the OOM killer took the exec, not the init");

        updateContainer(id, memory(128 * MIB));
        assertEquals(Long.toString(128 * MIB), cgroups.read("memory", cgroup, cgroups.memoryLimitFile()));
        assertEquals(Long.toString(32 * MIB), pods.sh(id, allocate), "and fit again");
        assertEquals(128 * MIB, pods.status(id).getResources().getLinux().getMemoryLimitInBytes(), "status reports the new limit");
    }

    @Test
    void aMemoryLimitBelowWhatTheContainerUsesIsAFailedPreconditionAndChangesNothing() throws Exception {
        PodSandboxConfig pod = pods.pod("below");
        String podId = pods.runPod(pod);
        String id = pods.createAndStart(podId, pod, limited(holding("big", 24 * MIB), memory(256 * MIB)));
        awaitReady(id);

        assertCode(Status.Code.FAILED_PRECONDITION, "to " + 8 * MIB + " bytes: the cgroup uses", () -> updateContainer(id, memory(8 * MIB)));
        assertEquals(Long.toString(256 * MIB), cgroups.read("memory", pods.cgroupParent + "/" + id, cgroups.memoryLimitFile()));
        assertEquals(ContainerState.CONTAINER_RUNNING, pods.status(id).getState());
        assertEquals(256 * MIB, pods.status(id).getResources().getLinux().getMemoryLimitInBytes(), "status keeps the old limit");
    }

    @Test
    void updatePodSandboxResourcesResizesBerthsOwnPodCgroupAndLeavesKubeletsAlone() throws Exception {
        PodSandboxConfig own = ownCgroupPod("own", memory(64 * MIB), memory(16 * MIB));
        String ownId = pods.runPod(own);
        String podCgroup = "/berth/" + ownId;
        String holder = pods.createAndStart(ownId, own, holding("big", 24 * MIB));
        awaitReady(holder);

        updatePod(ownId, memory(128 * MIB));
        assertEquals(Long.toString(144 * MIB), cgroups.read("memory", podCgroup, cgroups.memoryLimitFile()), "new resources, same overhead");
        assertCode(Status.Code.FAILED_PRECONDITION, "the cgroup uses", () -> updatePod(ownId, memory(4 * MIB)));
        assertEquals(Long.toString(144 * MIB), cgroups.read("memory", podCgroup, cgroups.memoryLimitFile()));
        assertEquals(ContainerState.CONTAINER_RUNNING, pods.status(holder).getState());
        assertCode(Status.Code.INVALID_ARGUMENT, "resources.cpu_shares is -3",
                () -> updatePod(ownId, LinuxContainerResources.newBuilder().setCpuShares(-3).build()));
        assertCode(Status.Code.NOT_FOUND, "not found", () -> updatePod("ab".repeat(32), memory(MIB)));

        PodSandboxConfig kubelets = pods.pod("kubelets");
        String kubeletsId = pods.runPod(kubelets);
        String before = cgroups.read("memory", pods.cgroupParent, cgroups.memoryLimitFile());
        updatePod(kubeletsId, memory(4 * MIB));
        assertEquals(before, cgroups.read("memory", pods.cgroupParent, cgroups.memoryLimitFile()), "kubelet sizes its own pod cgroups");
    }

    @Test
    void removedContainersAndPodsLeaveNoCgroupInAnyHierarchy() throws Exception {
        PodSandboxConfig kubelets = pods.pod("k");
        String kubeletsId = pods.runPod(kubelets);
        PodSandboxConfig own = ownCgroupPod("o", memory(64 * MIB), LinuxContainerResources.getDefaultInstance());
        String ownId = pods.runPod(own);
        String a = pods.createAndStart(kubeletsId, kubelets, pods.container("a", busybox, "sleep", "1000"));
        String b = pods.createAndStart(ownId, own, pods.container("b", busybox, "sh", "-c", "sleep 1000 & sleep 1000"));
        assertFalse(cgroups.existing(pods.cgroupParent + "/" + a).isEmpty());
        assertFalse(cgroups.existing("/berth/" + ownId + "/" + b).isEmpty());

        pods.runtime.removeContainer(dev.berth.cri.api.v1.RemoveContainerRequest.newBuilder().setContainerId(b).build());
        assertEquals(java.util.List.of(), cgroups.existing("/berth/" + ownId + "/" + b));
        for (String id : java.util.List.of(kubeletsId, ownId)) {
            pods.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        }
        assertEquals(java.util.List.of(), cgroups.below(pods.cgroupParent), "kubelet's parent is empty again");
        assertEquals(java.util.List.of(), cgroups.existing("/berth/" + ownId));
    }
}
