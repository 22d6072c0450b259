package dev.berth.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Recursive delete and usage of directory trees, never following symlinks. */
final class Trees {
    private Trees() {}

    /** Deletes {@code root} and everything under it; a missing root is fine. */
    static void deleteRecursively(Path root) throws IOException {
        if (SnapshotPaths.lstat(root) == null) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // an image may ship a dir without write permission; root ignores it, others need it back
                dir.toFile().setWritable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes (allocated blocks are not visible to Java; apparent sizes) and inodes under {@code root}. */
    static long[] usage(Path root) throws IOException {
        long[] totals = new long[2];
        if (SnapshotPaths.lstat(root) == null) {
            return totals;
        }
        // A hard-linked file is one inode and one copy of its bytes, however many names it has
        // (busybox images link hundreds of applets to one binary).
        java.util.Set<Object> seen = new java.util.HashSet<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                totals[1]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Object inode = attrs.fileKey();
                if (inode == null || seen.add(inode)) {
                    totals[0] += attrs.size();
                    totals[1]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return totals;
    }
}
