package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer extraction without root: whiteouts and device nodes go through the recording fake. */
class TarExtractorTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private RecordingFsOps ops;

    @BeforeEach
    void dirs() throws Exception {
        root = Files.createDirectory(tmp.resolve("snapshot"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        ops = new RecordingFsOps();
    }

    private long extract(byte[] tar, boolean devices) throws Exception {
        return new TarExtractor(root, new TarExtractor.Options(false, devices, ops))
                .extract(new TarHeaderGuard(new ByteArrayInputStream(tar)));
    }

    private SnapshotPaths.UnsafeEntry refused(byte[] tar) {
        return assertThrows(SnapshotPaths.UnsafeEntry.class, () -> extract(tar, false));
    }

    @Test
    void extractsFilesDirsLinksWithModes() throws Exception {
        byte[] tar = new TarBuilder().dir("bin", 0755).file("bin/busybox", new byte[] {1, 2, 3}, 04755)
                .symlink("bin/sh", "busybox").symlink("bin/abs", "/bin/busybox").hardlink("bin/ls", "bin/busybox")
                .file("./etc/motd", "hi").build();
        extract(tar, false);
        assertEquals("rwsr-xr-x", modeString(root.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(root.resolve("bin/sh")));
        assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(root.resolve("bin/abs")));
        assertTrue(Files.isSameFile(root.resolve("bin/ls"), root.resolve("bin/busybox")));
        assertEquals("hi", Files.readString(root.resolve("etc/motd")));
    }

    @Test
    void convertsWhiteoutsAndOpaqueDirs() throws Exception {
        byte[] tar = new TarBuilder().dir("etc", 0755).whiteout("etc", "gone").dir("var/cache", 0755).opaque("var/cache")
                .whiteout("", "toplevel").build();
        extract(tar, false);
        assertEquals(List.of("mknod gone 20000 0:0", "lsetxattr cache trusted.overlay.opaque=y", "mknod toplevel 20000 0:0"),
                ops.calls);
        assertFalse(Files.exists(root.resolve("etc/.wh.gone")));
    }

    @Test
    void laterEntryReplacesEarlierOne() throws Exception {
        extract(new TarBuilder().file("a", "one").file("a", "two").dir("d", 0755).file("d", "file now").build(), false);
        assertEquals("two", Files.readString(root.resolve("a")));
        assertEquals("file now", Files.readString(root.resolve("d")));
    }

    @Test
    void refusesDotDot() {
        assertTrue(refused(new TarBuilder().file("../escape", "x").build()).getMessage().contains("\"..\""));
        assertTrue(refused(new TarBuilder().file("a/../../escape", "x").build()).getMessage().contains("a/../../escape"));
        assertEquals(0, outside.toFile().list().length);
    }

    @Test
    void refusesAbsolutePaths() {
        assertTrue(refused(new TarBuilder().file("/etc/passwd", "x").build()).getMessage().contains("absolute"));
    }

    @Test
    void neverWritesThroughASymlinkedParent() throws Exception {
        byte[] tar = new TarBuilder().symlink("evil", outside.toString()).file("evil/pwned", "x").build();
        SnapshotPaths.UnsafeEntry e = refused(tar);
        assertTrue(e.getMessage().contains("evil/pwned") && e.getMessage().contains("symlink"), e.getMessage());
        assertEquals(0, outside.toFile().list().length);
    }

    @Test
    void refusesRelativeSymlinkClimbingOutOfTheRoot() {
        assertTrue(refused(new TarBuilder().symlink("a/link", "../../outside").build()).getMessage().contains("leaves"));
    }

    @Test
    void refusesHardlinkToSomethingOutsideOrMissing() throws Exception {
        Files.writeString(outside.resolve("secret"), "s");
        refused(new TarBuilder().hardlink("h", "../outside/secret").build());
        refused(new TarBuilder().symlink("s", outside.toString()).hardlink("h", "s/secret").build());
        refused(new TarBuilder().hardlink("h", "missing").build());
    }

    @Test
    void refusesDeviceNodesUnlessAllowed() throws Exception {
        assertTrue(refused(new TarBuilder().charDevice("dev/mem", 1, 1).build()).getMessage().contains("device node"));
        extract(new TarBuilder().charDevice("dev/null", 1, 3).build(), true);
        assertEquals(List.of("mknod null 20666 1:3"), ops.calls);
    }

    @Test
    void refusesHugeExtendedHeaders() {
        SnapshotPaths.UnsafeEntry e = refused(TarBuilder.longNameHeader(1L << 30));
        assertTrue(e.getMessage().contains("extended tar header"), e.getMessage());
    }

    @Test
    void acceptsLongNamesBelowTheLimit() throws Exception {
        String name = "d/" + "n".repeat(200) + "/" + "m".repeat(200);
        extract(new TarBuilder().file(name, "x").build(), false);
        assertEquals("x", Files.readString(root.resolve(name)));
    }

    @Test
    void refusesTrustedXattrsButKeepsCapabilitiesWhenRoot() throws Exception {
        byte[] tar = new TarBuilder().fileWithXattr("ping", "x", Map.of("trusted.overlay.opaque", "y",
                "security.capability", "caps")).build();
        new TarExtractor(root, new TarExtractor.Options(true, false, ops)).extract(new ByteArrayInputStream(tar));
        assertTrue(ops.calls.contains("lsetxattr ping security.capability=caps"), ops.calls.toString());
        assertFalse(ops.calls.stream().anyMatch(c -> c.contains("trusted")), ops.calls.toString());
    }

    @Test
    void chownsBeforeSettingSetuidBits() throws Exception {
        byte[] tar = new TarBuilder().ownedFile("su", "x", 04750, 0, 42).build();
        new TarExtractor(root, new TarExtractor.Options(true, false, ops)).extract(new ByteArrayInputStream(tar));
        assertEquals(List.of("lchown su 0:42"), ops.calls);
        assertEquals("rwsr-x---", modeString(root.resolve("su")));
    }

    private static String modeString(Path p) throws Exception {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        String perms = java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        if ((mode & 04000) != 0) {
            perms = perms.substring(0, 2) + (perms.charAt(2) == 'x' ? 's' : 'S') + perms.substring(3);
        }
        return perms;
    }
}
