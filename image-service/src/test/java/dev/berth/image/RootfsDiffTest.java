package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writable layer out as a layer tar and back into a fresh upper dir, without root (whiteouts through the fake). */
class RootfsDiffTest {
    @TempDir
    Path tmp;

    @Test
    void exportWritesWhiteoutsOpaqueDirsLinksAndFilesAsALayer() throws Exception {
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        RecordingFsOps ops = new RecordingFsOps();
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/motd"), "changed");
        Files.createLink(upper.resolve("etc/motd2"), upper.resolve("etc/motd"));
        Files.createSymbolicLink(upper.resolve("etc/link"), Path.of("/etc/motd"));
        ops.whiteout(upper.resolve("etc/removed"));
        Files.createDirectories(upper.resolve("var/cache"));
        ops.markOpaque(upper.resolve("var/cache"));

        List<String> names = entries(export(upper, ops));

        assertEquals(List.of("etc/", "etc/link -> /etc/motd", "etc/motd", "etc/motd2 => etc/motd", "etc/.wh.removed", "var/",
                "var/cache/", "var/cache/.wh..wh..opq"), names);
    }

    @Test
    void applyRestoresWhatExportWrote() throws Exception {
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        RecordingFsOps ops = new RecordingFsOps();
        Files.createDirectories(upper.resolve("data"));
        Files.writeString(upper.resolve("data/counter"), "41");
        Files.setPosixFilePermissions(upper.resolve("data/counter"), PosixFilePermissions.fromString("rw-------"));
        ops.whiteout(upper.resolve("data/old"));
        ops.markOpaque(upper.resolve("data"));
        byte[] tar = export(upper, ops);

        Path fresh = Files.createDirectory(tmp.resolve("fresh"));
        RecordingFsOps into = new RecordingFsOps();
        RootfsDiff.apply(fresh, new ByteArrayInputStream(tar), 1 << 20, false, into, "the diff");

        assertEquals("41", Files.readString(fresh.resolve("data/counter")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("data/counter"))));
        assertTrue(into.isWhiteout(fresh.resolve("data/old")));
        assertTrue(into.isOpaque(fresh.resolve("data")));
    }

    @Test
    void applyRefusesDeviceNodesEvenWhereLayersMayHaveThem() {
        byte[] tar = new TarBuilder().charDevice("dev/sda", 8, 0).build();
        ImageException e = assertThrows(ImageException.class, () -> RootfsDiff.apply(Files.createDirectory(tmp.resolve("u")),
                new ByteArrayInputStream(tar), 1 << 20, false, new RecordingFsOps(), "checkpoint rootfs-diff.tar"));
        assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
        assertTrue(e.getMessage().startsWith("checkpoint rootfs-diff.tar: tar entry \"dev/sda\": device node"), e.getMessage());
    }

    @Test
    void applyRefusesEntriesLeavingTheLayer() throws Exception {
        Path fresh = Files.createDirectory(tmp.resolve("u"));
        byte[] tar = new TarBuilder().file("../escaped", "x").build();
        ImageException e = assertThrows(ImageException.class,
                () -> RootfsDiff.apply(fresh, new ByteArrayInputStream(tar), 1 << 20, false, new RecordingFsOps(), "the diff"));
        assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void applyRefusesLinksThatLeaveTheLayer() throws Exception {
        for (byte[] tar : List.of(new TarBuilder().symlink("etc/evil", "../../../../../etc").build(),
                new TarBuilder().hardlink("etc/shadow", "../../../etc/shadow").build())) {
            Path fresh = Files.createTempDirectory(tmp, "u");
            ImageException e = assertThrows(ImageException.class,
                    () -> RootfsDiff.apply(fresh, new ByteArrayInputStream(tar), 1 << 20, false, new RecordingFsOps(), "the diff"));
            assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
            assertTrue(e.getMessage().startsWith("the diff: tar entry \"etc/"), e.getMessage());
        }
    }

    @Test
    void applyRefusesMoreThanTheLimit() throws Exception {
        byte[] tar = new TarBuilder().file("big", new byte[100_000], 0644).build();
        ImageException e = assertThrows(ImageException.class, () -> RootfsDiff.apply(Files.createDirectory(tmp.resolve("u")),
                new ByteArrayInputStream(tar), 50_000, false, new RecordingFsOps(), "the diff"));
        assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
        assertTrue(e.getMessage().contains("larger than 50000 bytes"), e.getMessage());
    }

    private static byte[] export(Path upper, FsOps ops) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RootfsDiff.export(upper, out, ops);
        return out.toByteArray();
    }

    private static List<String> entries(byte[] tar) throws Exception {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : e.isLink() ? " => " + e.getLinkName() : ""));
            }
        }
        return names;
    }
}
