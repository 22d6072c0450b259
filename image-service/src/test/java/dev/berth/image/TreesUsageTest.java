package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesUsageTest {

    @Test
    void hardLinkedFilesCountOnceInBytesAndInodes(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("snap"));
        Path bin = Files.createDirectory(root.resolve("bin"));
        Files.write(bin.resolve("busybox"), new byte[1000]);
        Files.createLink(bin.resolve("sh"), bin.resolve("busybox"));
        Files.createLink(bin.resolve("ls"), bin.resolve("busybox"));
        Files.write(root.resolve("other"), new byte[24]);
        // bytes: one copy of busybox + other; inodes: 2 directories + 2 files
        assertArrayEquals(new long[] {1024, 4}, Trees.usage(root));
    }
}
