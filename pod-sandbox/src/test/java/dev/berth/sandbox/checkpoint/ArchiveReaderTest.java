package dev.berth.sandbox.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint archives written and read back, and tampered ones refused with a message naming the
 * entry, while nothing lands outside the directory the reader was given.
 */
class ArchiveReaderTest {
    private static final String IMAGE_ID = "sha256:" + "ab".repeat(32);
    private static final ArchiveReader.Limits LIMITS = new ArchiveReader.Limits(64 << 20, 1000);

    @TempDir
    Path tmp;
    private Path into;
    private Path outside;

    @BeforeEach
    void dirs() throws Exception {
        into = tmp.resolve("berth/restore");
        Files.createDirectories(into.getParent());
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    private static CheckpointConfig config(String image, String imageId) {
        return new CheckpointConfig(CheckpointConfig.FORMAT, "c1", "app", 0, image, imageId, "repo@" + imageId, "pod1", "web",
                "default", "uid-1", Map.of("tier", "web"), Map.of(), false, false, 1, 2, "berth");
    }

    @Test
    void whatTheWriterPacksTheReaderUnpacksPlainAndGzipped() throws Exception {
        Path staged = Files.createDirectories(tmp.resolve("staged"));
        Files.createDirectories(staged.resolve("checkpoint"));
        Files.write(staged.resolve("checkpoint/pages-1.img"), new byte[4096]);
        Files.writeString(staged.resolve("checkpoint/descriptors.json"), "[]");
        Files.write(staged.resolve("config.dump"), config("busybox:1", IMAGE_ID).toJson());
        Files.writeString(staged.resolve("spec.dump"), "{}");
        Files.writeString(staged.resolve("container.log"), "2024-01-01T00:00:00Z stdout F hi\n");
        Files.write(staged.resolve("rootfs-diff.tar"), new byte[1024]);
        for (String name : List.of("cp.tar", "cp.tar.gz")) {
            Path archive = tmp.resolve(name);
            ArchiveWriter.write(staged, archive);
            Path to = tmp.resolve("out-" + name);
            ArchiveReader.Extracted x = ArchiveReader.extract(archive, to, LIMITS);
            assertEquals("busybox:1", x.config().image());
            assertEquals(IMAGE_ID, x.config().imageId());
            assertEquals(4096, Files.size(x.images().resolve("pages-1.img")));
            assertEquals(1024, Files.size(x.rootfsDiff()));
            assertFalse(Files.exists(to.resolve("container.log")), "logs are checked, not unpacked");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary archive is left");
        }
    }

    @Test
    void anAbsoluteEntryNameIsRefused() throws Exception {
        assertRefused(tar(t -> file(t, outside.resolve("evil").toString(), "x")), "is an absolute path");
    }

    @Test
    void dotDotIsRefused() throws Exception {
        assertRefused(tar(t -> file(t, "checkpoint/../../outside/evil", "x")), "\"..\"");
        assertRefused(tar(t -> file(t, "../outside/evil", "x")), "\"..\"");
    }

    @Test
    void aSymlinkedLogFileIsRefused() throws Exception {
        assertRefused(tar(t -> link(t, "container.log", "/etc/shadow", TarArchiveEntry.LF_SYMLINK)),
                "entry \"container.log\" is a symbolic link (to \"/etc/shadow\")");
    }

    @Test
    void symlinksAndHardLinksAmongTheImagesAreRefused() throws Exception {
        assertRefused(tar(t -> link(t, "checkpoint/pages-1.img", "/proc/kcore", TarArchiveEntry.LF_SYMLINK)), "symbolic link");
        assertRefused(tar(t -> link(t, "config.dump", "/etc/passwd", TarArchiveEntry.LF_LINK)), "is a hard link");
    }

    @Test
    void deviceNodesAndFifosAreRefused() throws Exception {
        assertRefused(tar(t -> special(t, "checkpoint/sda", TarArchiveEntry.LF_BLK)), "is a device node");
        assertRefused(tar(t -> special(t, "checkpoint/mem", TarArchiveEntry.LF_CHR)), "is a device node");
        assertRefused(tar(t -> special(t, "checkpoint/pipe", TarArchiveEntry.LF_FIFO)), "is a fifo");
    }

    @Test
    void oversizeEntriesAndArchivesAreRefused() throws Exception {
        assertRefused(tar(t -> file(t, "config.dump", "x".repeat(2 << 20))), "above its limit of 1048576");
        byte[] big = tar(t -> file(t, "checkpoint/pages-1.img", "x".repeat(100_000)));
        Path archive = Files.write(tmp.resolve("big.tar"), big);
        CheckpointArchiveException e = assertThrows(CheckpointArchiveException.class,
                () -> ArchiveReader.extract(archive, into, new ArchiveReader.Limits(50_000, 100)));
        assertTrue(e.getMessage().contains("more than 50000 bytes"), e.getMessage());
    }

    @Test
    void unknownNestedAndRepeatedEntriesAreRefused() throws Exception {
        assertRefused(tar(t -> file(t, "etc/passwd", "x")), "not part of a Berth checkpoint");
        assertRefused(tar(t -> file(t, "checkpoint/sub/x.img", "x")), "not a CRIU image file");
        assertRefused(tar(t -> {
            file(t, "config.dump", "{}");
            file(t, "./config.dump", "{}");
        }), "appears twice");
    }

    @Test
    void aConfigNamingNoUsableImageIsRefused() throws Exception {
        assertRefused(archive(config("busybox:1", "sha256:../../etc")), "has image ID");
        assertRefused(archive(config("/var/lib/other.tar", IMAGE_ID)), "names no valid image");
        assertRefused(archive(config("", IMAGE_ID)), "names no valid image");
        assertRefused(tar(t -> {
            file(t, "config.dump", "{\"version\":2}");
            file(t, "rootfs-diff.tar", "");
        }), "format version 2");
    }

    @Test
    void aMissingConfigOrDiffIsRefused() throws Exception {
        assertRefused(tar(t -> file(t, "rootfs-diff.tar", "")), "has no config.dump");
        assertRefused(tar(t -> file(t, "config.dump", new String(config("busybox:1", IMAGE_ID).toJson()))), "has no rootfs-diff.tar");
    }

    @Test
    void somethingThatIsNoTarIsRefused() throws Exception {
        Path archive = Files.writeString(tmp.resolve("junk.tar"), "this is not a tar archive, just text that goes on. ".repeat(20));
        CheckpointArchiveException e = assertThrows(CheckpointArchiveException.class, () -> ArchiveReader.extract(archive, into, LIMITS));
        assertTrue(e.getMessage().contains("junk.tar"), e.getMessage());
    }

    private byte[] archive(CheckpointConfig config) throws Exception {
        return tar(t -> {
            file(t, "config.dump", new String(config.toJson(), StandardCharsets.UTF_8));
            file(t, "rootfs-diff.tar", "");
        });
    }

    private void assertRefused(byte[] tar, String why) throws Exception {
        Path archive = Files.write(tmp.resolve("tampered-" + System.nanoTime() + ".tar"), tar);
        CheckpointArchiveException e = assertThrows(CheckpointArchiveException.class, () -> ArchiveReader.extract(archive, into, LIMITS));
        assertTrue(e.getMessage().startsWith("checkpoint archive " + archive + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of(), left.toList(), "nothing is written outside the reader's directory");
        }
        try (Stream<Path> all = Files.walk(tmp.resolve("berth"))) {
            for (Path p : all.toList()) {
                assertFalse(Files.isSymbolicLink(p), "no link is created: " + p);
                assertTrue(p.startsWith(into) || p.equals(tmp.resolve("berth")), "written outside: " + p);
            }
        }
        FileTreesForTests.delete(into);
    }

    private interface Entries {
        void write(TarArchiveOutputStream tar) throws Exception;
    }

    private static byte[] tar(Entries entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.write(tar);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws Exception {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target, byte type) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void special(TarArchiveOutputStream tar, String name, byte type) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setDevMajor(8);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** Deleting what a refused extraction left, between cases of one test. */
    static final class FileTreesForTests {
        static void delete(Path dir) throws Exception {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
