package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InRootPathsTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(tmp.resolve("rootfs"));
        outside = Files.createDirectories(tmp.resolve("host"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(outside.resolve("passwd"), "host:x:0:0::/:/bin/sh\n");
    }

    @Test
    void aPlainPathStaysAsNamed() throws IOException {
        assertEquals(root.resolve("etc/passwd"), InRootPaths.resolve(root, "/etc/passwd"));
        assertEquals(root.resolve("etc/passwd"), InRootPaths.resolve(root, "etc//./passwd"));
    }

    @Test
    void dotDotStopsAtTheRoot() throws IOException {
        assertEquals(root.resolve("etc/passwd"), InRootPaths.resolve(root, "/../../../etc/passwd"));
        assertEquals(root.resolve("etc/passwd"), InRootPaths.resolve(root, "/missing/../etc/passwd"));
    }

    @Test
    void anAbsoluteSymlinkIsReadRelativeToTheRoot() throws IOException {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/usr/lib/passwd"));
        assertEquals(root.resolve("usr/lib/passwd"), InRootPaths.resolve(root, "/etc/passwd"));
    }

    @Test
    void anAbsoluteSymlinkToAHostFileDoesNotLeaveTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/passwd"), outside.resolve("passwd"));
        Path resolved = InRootPaths.resolve(root, "/etc/passwd");
        assertEquals(root.resolve(outside.resolve("passwd").toString().substring(1)), resolved);
        assertFalse(Files.exists(resolved));
    }

    @Test
    void aRelativeSymlinkClimbingOutIsClampedAtTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../host/passwd"));
        assertEquals(root.resolve("host/passwd"), InRootPaths.resolve(root, "/etc/passwd"));
    }

    @Test
    void aDirectorySymlinkOutOfTheRootIsFollowedInsideIt() throws IOException {
        Files.delete(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("../../host"));
        assertEquals(root.resolve("host/passwd"), InRootPaths.resolve(root, "/etc/passwd"));
    }

    @Test
    void symlinkChainsResolveStepByStep() throws IOException {
        Files.createDirectories(root.resolve("data"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("alt"));
        Files.createSymbolicLink(root.resolve("etc/alt"), Path.of("../data/./passwd"));
        assertEquals(root.resolve("data/passwd"), InRootPaths.resolve(root, "/etc/passwd"));
    }

    @Test
    void aSymlinkLoopFails() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("etc/b"), Path.of("/etc/a"));
        assertThrows(FileSystemLoopException.class, () -> InRootPaths.resolve(root, "/etc/a"));
    }

    @Test
    void fortySymlinksAreFollowedButNotFortyOne() throws IOException {
        for (int i = 0; i < InRootPaths.MAX_SYMLINKS; i++) {
            Files.createSymbolicLink(root.resolve("etc/l" + i), Path.of("l" + (i + 1)));
        }
        assertEquals(root.resolve("etc/l40"), InRootPaths.resolve(root, "/etc/l0"));
        Files.createSymbolicLink(root.resolve("etc/l40"), Path.of("end"));
        assertThrows(FileSystemLoopException.class, () -> InRootPaths.resolve(root, "/etc/l0"));
    }
}
