package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ListContainersRequest;
import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.Mount;
import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a daemon process with 10 pods running: after a restart every pod and container is
 * listed in its right state, running containers are the same processes and their logs go on,
 * and exits that happened while no daemon ran are reported with their codes.
 */
@Tag("root")
class DaemonCrashTest {
    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]");


    @TempDir
    Path dir;
    private PodFixture pods;
    private String busybox;
    private Process daemon;

    @BeforeEach
    void start() throws Exception {
        PodFixture.assumeCapable(IMAGES.registry());
        busybox = IMAGES.busybox();
        pods = new PodFixture(dir, IMAGES.registry());
        pods.stopDaemon(); // this test runs the daemon as a process of its own
        daemon = pods.startProcess();
        pods.pull(busybox);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (daemon != null) {
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (pods != null) {
            pods.close(); // restarts an in-process daemon to remove what is left
        }
    }

    @Test
    void aKilledDaemonLosesNoPodContainerExitCodeOrLogLine() throws Exception {
        Path flags = Files.createDirectories(dir.resolve("flags"));
        Map<String, String> ticking = new HashMap<>();
        Map<String, String> ending = new HashMap<>();
        Map<String, String> initStart = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            PodSandboxConfig pod = pods.pod("crash" + i);
            String podId = pods.runPod(pod);
            ContainerConfig tick = pods.container("tick", busybox, "sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done");
            ticking.put(podId, pods.createAndStart(podId, pod, tick));
            int code = 10 + i;
            ContainerConfig end = pods.container("end", busybox, "sh", "-c", "while [ ! -e /flags/go ]; do sleep 0.05; done; exit " + code)
                    .toBuilder().addMounts(Mount.newBuilder().setHostPath(flags.toString()).setContainerPath("/flags")).build();
            ending.put(podId, pods.createAndStart(podId, pod, end));
            initStart.put(podId, pods.sh(ticking.get(podId), "awk '{print $22}' /proc/1/stat"));
        }
        Map<String, Long> logSizes = new HashMap<>();
        for (String id : ticking.values()) {
            logSizes.put(id, Files.size(Path.of(pods.status(id).getLogPath())));
        }

        daemon.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
        assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
        pods.stopDaemon();
        Files.writeString(flags.resolve("go"), "");
        Thread.sleep(1500);
        daemon = pods.startProcess();

        List<PodSandbox> listed = pods.runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
        assertEquals(10, listed.size());
        assertTrue(listed.stream().allMatch(p -> p.getState() == PodSandboxState.SANDBOX_READY), listed.toString());
        assertEquals(20, pods.runtime.listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
        List<String> problems = new ArrayList<>();
        for (String podId : ticking.keySet()) {
            String tick = ticking.get(podId);
            if (pods.status(tick).getState() != ContainerState.CONTAINER_RUNNING) {
                problems.add(tick + " is " + pods.status(tick).getState());
            }
            if (!initStart.get(podId).equals(pods.sh(tick, "awk '{print $22}' /proc/1/stat"))) {
                problems.add(tick + " was restarted");
            }
            ContainerStatus end = pods.status(ending.get(podId));
            int i = Integer.parseInt(pods.runtime.podSandboxStatus(dev.berth.cri.api.v1.PodSandboxStatusRequest.newBuilder()
                    .setPodSandboxId(podId).build()).getStatus().getMetadata().getName().substring(5));
            if (end.getState() != ContainerState.CONTAINER_EXITED || end.getExitCode() != 10 + i) {
                problems.add(ending.get(podId) + " is " + end.getState() + " with code " + end.getExitCode() + ", not exited with " + (10 + i));
            }
        }
        assertEquals(List.of(), problems);
        Thread.sleep(300);
        for (String id : ticking.values()) {
            Path log = Path.of(pods.status(id).getLogPath());
            assertTrue(Files.size(log) > logSizes.get(id), "the log of " + id + " goes on");
            assertTicksHaveNoGap(Files.readAllLines(log));
        }
    }

    /** Every line "tick N" follows "tick N-1": no line was lost while the daemon was down. */
    private static void assertTicksHaveNoGap(List<String> lines) {
        int expected = 0;
        for (String line : lines) {
            int at = line.indexOf(" stdout F tick ");
            if (at < 0) {
                continue;
            }
            assertEquals(expected, Integer.parseInt(line.substring(at + " stdout F tick ".length())), line);
            expected++;
        }
        assertTrue(expected > 10, "ticks were logged: " + expected);
    }
}
