package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.api.v1.CheckpointContainerRequest;
import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.StatusRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CheckpointContainer and CreateContainer from a checkpoint archive through the CRI socket: a
 * real CRIU dump of a counting shell, restored into another pod, counting on. Skipped, with the
 * reason, where {@code criu check} fails (Debian 12's criu 3.17 on kernels from 6.15 on).
 */
@Tag("root")
class CheckpointSocketTest {
    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]");
    private static final String COUNTER = "i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done";

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

    private void assumeCheckpointWorks() throws Exception {
        JsonNode host = new ObjectMapper().readTree(pods.runtime.status(StatusRequest.newBuilder().setVerbose(true).build())
                .getInfoOrThrow("host"));
        Assumptions.assumeTrue(host.path("checkpointAvailable").asBoolean(), () -> "needs a working CRIU; the daemon reports: "
                + host.path("checkpointReason").asText() + " -- Debian 12's criu 3.17 fails `criu check` on kernels >= 6.15"
                + " (vDSO without DT_HASH); point BERTH_TEST_CRIU at a CRIU >= 4.1 to run this test");
    }

    /** kubelet gives each container its own PID namespace (CONTAINER); pods may share one (POD). */
    @ParameterizedTest
    @EnumSource(value = NamespaceMode.class, names = {"CONTAINER", "POD"})
    void aContainerRestoredIntoANewPodCountsOnFromItsCheckpointWithItsFiles(NamespaceMode pid) throws Exception {
        assumeCheckpointWorks();
        PodSandboxConfig first = pods.pod("first");
        String firstPod = pods.runPod(first);
        String original = pods.createAndStart(firstPod, first, withPid(pods.container("counter", busybox, "sh", "-c", COUNTER), pid));
        Path firstLog = dir.resolve("logs/first/counter/0.log");
        awaitCount(firstLog, 3);
        pods.sh(original, "echo written before the checkpoint > /marker; busybox rm -r /home/app");
        long before = lastCount(firstLog);
        Path archive = dir.resolve("counter.tar.gz");

        pods.runtime.checkpointContainer(CheckpointContainerRequest.newBuilder().setContainerId(original)
                .setLocation(archive.toString()).build());

        long after = lastCount(firstLog);
        assertTrue(Files.size(archive) > 0);
        assertEquals(ContainerState.CONTAINER_RUNNING, pods.status(original).getState(), "the checkpointed container runs on");
        awaitCount(firstLog, after + 2);

        PodSandboxConfig second = pods.pod("second");
        String secondPod = pods.runPod(second);
        ContainerConfig restore = withPid(pods.container("counter", archive.toString()), pid);
        String restored = pods.createAndStart(secondPod, second, restore);

        ContainerStatus status = pods.status(restored);
        assertEquals(ContainerState.CONTAINER_RUNNING, status.getState());
        assertEquals(busybox, status.getImage().getImage(), "the restored container runs the checkpoint's image");
        Path secondLog = dir.resolve("logs/second/counter/0.log");
        awaitCount(secondLog, 1);
        long resumedAt = counts(secondLog).getFirst();
        assertTrue(resumedAt > before && resumedAt <= after + 1,
                "the count went on from the checkpoint (" + before + ".." + after + "), not from 1: it restarted at " + resumedAt);
        assertEquals("written before the checkpoint", pods.sh(restored, "cat /marker"), "the writable layer came along");
        assertEquals("", pods.sh(restored, "ls /home"), "so did what was deleted from the image");
        assertEquals("second", pods.sh(restored, "hostname"), "the restored container is in its new pod");
    }

    @Test
    void aTamperedArchiveIsRefusedWithInvalidArgumentAndLeavesNothing() throws Exception {
        PodSandboxConfig pod = pods.pod("restore");
        String podId = pods.runPod(pod);
        Path archive = dir.resolve("tampered.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry link = new TarArchiveEntry("container.log", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/shadow");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> pods.create(podId, pod, pods.container("app", archive.toString())));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("entry \"container.log\" is a symbolic link (to \"/etc/shadow\")"),
                e.getStatus().getDescription());
        try (Stream<Path> records = Files.list(pods.config.root().resolve("containers"))) {
            assertEquals(List.of(), records.toList(), "no record and no unpacked checkpoint are left");
        }
    }

    @Test
    void checkpointingAContainerThatIsNotRunningIsAFailedPrecondition() {
        PodSandboxConfig pod = pods.pod("idle");
        String podId = pods.runPod(pod);
        String id = pods.create(podId, pod, pods.container("app", busybox, "sleep", "1000"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pods.runtime.checkpointContainer(
                CheckpointContainerRequest.newBuilder().setContainerId(id).setLocation(dir.resolve("x.tar").toString()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
    }

    private static ContainerConfig withPid(ContainerConfig c, NamespaceMode pid) {
        return c.toBuilder().setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(pid)))).build();
    }

    private static void awaitCount(Path log, long atLeast) throws Exception {
        Instant end = Instant.now().plusSeconds(60);
        while (lastCount(log) < atLeast) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(log + " never counted to " + atLeast + ": " + counts(log));
            }
            Thread.sleep(50);
        }
    }

    private static long lastCount(Path log) throws Exception {
        List<Long> all = counts(log);
        return all.isEmpty() ? 0 : all.getLast();
    }

    private static List<Long> counts(Path log) throws Exception {
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(l -> l.split(" ", 4)).filter(p -> p.length == 4 && p[3].matches("\\d+"))
                .map(p -> Long.parseLong(p[3])).toList();
    }
}
