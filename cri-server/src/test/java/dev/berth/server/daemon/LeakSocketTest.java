package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.RemoveContainerRequest;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand containers created, started and removed (and a pod now and then) through the CRI
 * socket leave nothing behind: no cgroup directory in any hierarchy, no mount, no open file of
 * the daemon (which runs in this JVM), no record, bundle or runtime state directory.
 */
@Tag("root")
class LeakSocketTest {
    static final int CYCLES = 1000;
    static final int WARM_UP = 20;
    /** Files the JVM opens lazily (classes, JIT, thread pools) come and go; a leak grows with the cycles. */
    static final int FD_SLACK = 10;

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

    /** What a removed container or pod could leave: cgroups, mounts, the daemon's files, state on disk. */
    private record Traces(Set<String> cgroupDirs, List<String> mounts, Set<String> stateFiles) {}

    private Traces traces(List<String> podIds) throws IOException {
        Set<String> dirs = new TreeSet<>();
        cgroups.below(pods.cgroupParent).forEach(d -> dirs.add(d.toString()));
        for (String id : podIds) {
            cgroups.below("/berth/" + id).forEach(d -> dirs.add(d.toString()));
        }
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(dir.toString())).map(l -> l.split(" ")[4]).sorted().toList();
        Set<String> files = new TreeSet<>();
        for (Path d : List.of(pods.config.root().resolve("containers"), pods.config.state().resolve("containers"),
                pods.config.state().resolve("runtime"), pods.config.root().resolve("sandboxes"), pods.config.state().resolve("sandboxes"))) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> entries = Files.list(d)) {
                    entries.forEach(e -> files.add(e.toString()));
                }
            }
        }
        return new Traces(dirs, mounts, files);
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private PodSandboxConfig ownCgroupPod(String name) {
        PodSandboxConfig pod = pods.pod(name);
        return pod.toBuilder().setLinux(pod.getLinux().toBuilder().clearCgroupParent()
                .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(256 << 20))).build();
    }

    /** One container of the pod: created with limits, started, removed while it runs. */
    private void cycle(String podId, PodSandboxConfig pod, int i) {
        String id = pods.createAndStart(podId, pod, pods.container("c" + i, busybox, "sleep", "1000").toBuilder()
                .setLinux(LinuxContainerConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
                        .setMemoryLimitInBytes(64 << 20).setCpuQuota(50_000).setCpuPeriod(100_000)))
                .build());
        pods.runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    }

    /** A whole pod with one container, removed again. */
    private void podCycle(PodSandboxConfig pod, int i) {
        String podId = pods.runPod(pod);
        cycle(podId, pod, i);
        pods.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    }

    @Test
    void aThousandContainersAndSomePodsComeAndGoLeavingNothing() throws Exception {
        PodSandboxConfig kubelets = pods.pod("kubelets");
        PodSandboxConfig own = ownCgroupPod("own");
        String kubeletsId = pods.runPod(kubelets);
        String ownId = pods.runPod(own);
        List<String> podIds = List.of(kubeletsId, ownId);
        for (int i = 0; i < WARM_UP; i++) {
            cycle(i % 2 == 0 ? kubeletsId : ownId, i % 2 == 0 ? kubelets : own, i);
        }
        podCycle(pods.pod("warm-k"), -1);
        podCycle(ownCgroupPod("warm-o"), -2);
        Traces before = traces(podIds);
        long fdsBefore = openFiles();

        long start = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            cycle(i % 2 == 0 ? kubeletsId : ownId, i % 2 == 0 ? kubelets : own, i);
            if (i % 100 == 99) {
                podCycle(i % 200 == 99 ? pods.pod("p" + i) : ownCgroupPod("p" + i), i);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("LeakSocketTest: %d container cycles and %d pod cycles in %.1f s (%.1f ms per container cycle)%n",
                CYCLES, CYCLES / 100, seconds, seconds * 1000 / CYCLES);

        Traces after = traces(podIds);
        assertEquals(before.cgroupDirs(), after.cgroupDirs(), "cgroup directories, in every hierarchy");
        assertEquals(before.mounts(), after.mounts(), "mounts under the test's root and state");
        assertEquals(before.stateFiles(), after.stateFiles(), "records, bundles and runtime state");
        long fdsAfter = openFiles();
        assertTrue(fdsAfter - fdsBefore < FD_SLACK, "the daemon's open files: " + fdsBefore + " before, " + fdsAfter + " after");

        for (String id : podIds) {
            pods.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        }
        Traces gone = traces(podIds);
        assertEquals(Set.of(), gone.cgroupDirs(), "no cgroup left below the pods' parents");
        assertEquals(List.of(), cgroups.existing("/berth/" + ownId), "nor Berth's own pod cgroup");
        assertTrue(gone.mounts().stream().noneMatch(m -> m.contains("/containers/") || m.contains("/sandboxes/")), gone.mounts().toString());
    }
}
