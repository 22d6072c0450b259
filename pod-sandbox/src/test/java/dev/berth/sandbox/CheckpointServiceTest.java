package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerMetadata;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.runtime.CheckpointSupport;
import dev.berth.runtime.sys.RecordingSyscalls;
import dev.berth.sandbox.checkpoint.ArchiveReader;
import dev.berth.sandbox.checkpoint.ArchiveWriter;
import dev.berth.sandbox.checkpoint.CheckpointConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CheckpointContainer and CreateContainer from a checkpoint archive, over the fake runtime and images. */
class CheckpointServiceTest {
    @TempDir
    Path dir;
    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeImages images = new FakeImages();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private SandboxService sandboxes;
    private ContainerService containers;
    private PodSandboxConfig pod;
    private String podId;

    @BeforeEach
    void open() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        sandboxes = SandboxService.open(new SandboxSettings(dir.resolve("root"), dir.resolve("state"), null, dir.resolve("etc")),
                runtime, new FakeCgroups(), new FakeNetwork(), images, new RecordingSyscalls(), new ContainerEvents(), clock,
                () -> String.format("%064x", ids.incrementAndGet()));
        containers = sandboxes.containers();
        pod = Pods.config("web", 0);
        podId = sandboxes.run(pod, "");
    }

    private static ContainerConfig config(String name, String image) {
        return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(image)).build();
    }

    private String running(String name) {
        String id = containers.create(podId, config(name, FakeImages.IMAGE), pod);
        containers.start(id);
        return id;
    }

    @Test
    void aCheckpointArchiveHoldsTheImagesTheLayerTheConfigAndTheSpecAndTheContainerRuns() throws Exception {
        runtime.checkpointSupport = new CheckpointSupport(true, "", "/usr/sbin/criu", "4.2");
        String id = running("app");
        Path archive = dir.resolve("app.tar");

        containers.checkpoint(id, archive.toString(), Duration.ZERO);

        assertEquals(ContainerState.CONTAINER_RUNNING, containers.status(id).getState());
        ArchiveReader.Extracted x = ArchiveReader.extract(archive, dir.resolve("x"), new ArchiveReader.Limits(1 << 20, 100));
        assertEquals(FakeImages.IMAGE, x.config().image());
        assertEquals(FakeImages.ID, x.config().imageId());
        assertEquals("web", x.config().podName());
        assertEquals("memory of " + id, Files.readString(x.images().resolve("pages-1.img")));
        assertEquals("changes of " + id, Files.readString(x.rootfsDiff()));
        try (Stream<Path> left = Files.list(dir.resolve("root/containers/" + id))) {
            assertEquals(List.of("record.json"), left.map(p -> p.getFileName().toString()).toList(), "the staging dir is gone");
        }
    }

    @Test
    void aCheckpointTheDaemonDidNotFinishLeavesNoStagingAfterARestart() throws Exception {
        String id = running("app");
        Path staging = Files.createDirectories(dir.resolve("root/containers/" + id + "/checkpoint-1234/checkpoint"));
        Files.writeString(staging.resolve("pages-1.img"), "half a dump");

        sandboxes.close();
        sandboxes = SandboxService.open(new SandboxSettings(dir.resolve("root"), dir.resolve("state"), null, dir.resolve("etc")),
                runtime, new FakeCgroups(), new FakeNetwork(), images, new RecordingSyscalls(), new ContainerEvents(), clock,
                () -> String.format("%064x", ids.incrementAndGet()));

        assertFalse(Files.exists(staging.getParent()));
        assertEquals(ContainerState.CONTAINER_RUNNING, sandboxes.containers().status(id).getState());
    }

    @Test
    void checkpointIsRefusedWithTheReasonWhenCriuCannotWork() {
        String id = running("app");
        SandboxException e = assertThrows(SandboxException.class,
                () -> containers.checkpoint(id, dir.resolve("a.tar").toString(), Duration.ZERO));
        assertEquals(SandboxException.Kind.FAILED_PRECONDITION, e.kind());
        assertTrue(e.getMessage().endsWith("no CRIU in tests"), e.getMessage());
    }

    @Test
    void onlyARunningContainerIsCheckpointedToAnAbsoluteFilePath() {
        runtime.checkpointSupport = new CheckpointSupport(true, "", "/usr/sbin/criu", "4.2");
        String created = containers.create(podId, config("idle", FakeImages.IMAGE), pod);
        SandboxException notRunning = assertThrows(SandboxException.class,
                () -> containers.checkpoint(created, dir.resolve("a.tar").toString(), Duration.ZERO));
        assertEquals(SandboxException.Kind.FAILED_PRECONDITION, notRunning.kind());
        String id = running("app");
        for (String bad : List.of("", "a.tar", dir.toString(), dir.resolve("missing/a.tar").toString())) {
            assertEquals(SandboxException.Kind.INVALID_ARGUMENT,
                    assertThrows(SandboxException.class, () -> containers.checkpoint(id, bad, Duration.ZERO)).kind(), bad);
        }
    }

    @Test
    void aContainerCreatedFromAnArchiveRunsTheArchivesImageAndRestoresItsImagesAtStart() throws Exception {
        Path archive = archive(FakeImages.IMAGE, FakeImages.ID, Map.of());
        String id = containers.create(podId, config("copy", archive.toString()), pod);

        ContainerStatus status = containers.status(id);
        assertEquals(FakeImages.IMAGE, status.getImage().getImage());
        assertEquals(FakeImages.ID, status.getImageId());
        assertTrue(images.calls.contains("mount " + id + " with diff the layer"), images.calls.toString());
        Path restoreFrom = runtime.options.get(id).restoreFrom();
        assertEquals(dir.resolve("root/containers/" + id + "/restore/checkpoint"), restoreFrom);
        assertEquals("the memory", Files.readString(restoreFrom.resolve("pages-1.img")));

        containers.start(id);
        assertFalse(Files.exists(restoreFrom), "the images are dropped once the restore ran");
    }

    @Test
    void anArchiveWhoseImageTagNowNamesAnotherImageIsRefused() throws Exception {
        Path archive = archive(FakeImages.IMAGE, "sha256:" + "ef".repeat(32), Map.of());
        SandboxException e = assertThrows(SandboxException.class, () -> containers.create(podId, config("copy", archive.toString()), pod));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("but that name is " + FakeImages.ID + " on this node"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void anArchiveOfAnImageThisNodeLacksIsNotFound() throws Exception {
        Path archive = archive("example.test/other:2", FakeImages.ID, Map.of());
        SandboxException e = assertThrows(SandboxException.class, () -> containers.create(podId, config("copy", archive.toString()), pod));
        assertEquals(SandboxException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("crictl pull example.test/other:2"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void aTamperedArchiveIsRefusedAndNothingIsWrittenOutsideBerthsDirs() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path archive = archive(FakeImages.IMAGE, FakeImages.ID, Map.of("container.log", "/etc/shadow"));
        SandboxException e = assertThrows(SandboxException.class, () -> containers.create(podId, config("copy", archive.toString()), pod));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("entry \"container.log\" is a symbolic link"), e.getMessage());
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(0, left.count());
        }
        assertNothingLeft();
    }

    @Test
    void aRestoreWithATerminalIsRefusedBeforeAnythingIsRead() throws Exception {
        Path archive = archive(FakeImages.IMAGE, FakeImages.ID, Map.of());
        ContainerConfig tty = config("copy", archive.toString()).toBuilder().setTty(true).build();
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT,
                assertThrows(SandboxException.class, () -> containers.create(podId, tty, pod)).kind());
        assertNothingLeft();
    }

    private void assertNothingLeft() throws Exception {
        assertEquals(List.of(), containers.list(null));
        try (Stream<Path> records = Files.list(dir.resolve("root/containers"))) {
            assertEquals(List.of(), records.toList(), "no record directory, no unpacked checkpoint");
        }
        assertEquals(List.of("create " + podId, "start " + podId), runtime.calls, "the runtime made no container");
    }

    /** A checkpoint archive as Berth writes one; {@code symlinks} adds link entries (name to target) as a tampered one has. */
    private Path archive(String image, String imageId, Map<String, String> symlinks) throws Exception {
        Path staged = Files.createDirectories(dir.resolve("staged-" + ids.incrementAndGet()));
        Files.createDirectories(staged.resolve("checkpoint"));
        Files.writeString(staged.resolve("checkpoint/pages-1.img"), "the memory");
        Files.writeString(staged.resolve("rootfs-diff.tar"), "the layer");
        Files.write(staged.resolve("config.dump"), new CheckpointConfig(CheckpointConfig.FORMAT, "old", "app", 0, image, imageId, "",
                "oldpod", "web", "default", "uid", Map.of(), Map.of(), false, false, 1, 2, "berth").toJson());
        Path archive = dir.resolve("cp-" + ids.incrementAndGet() + ".tar");
        ArchiveWriter.write(staged, archive);
        if (!symlinks.isEmpty()) {
            archive = withSymlinks(archive, symlinks);
        }
        return archive;
    }

    private Path withSymlinks(Path archive, Map<String, String> symlinks) throws Exception {
        Path out = dir.resolve("tampered-" + archive.getFileName());
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(archive));
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(out),
                        StandardCharsets.UTF_8.name())) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                tar.putArchiveEntry(e);
                in.transferTo(tar);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> link : symlinks.entrySet()) {
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(link.getKey(),
                        org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK);
                entry.setLinkName(link.getValue());
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
        }
        return out;
    }
}
