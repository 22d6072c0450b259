package dev.berth.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes and inodes of a container's writable layer. Walking a tree costs what it holds, and
 * kubelet asks for every container every few seconds, so a walk is reused for {@link #FRESH}.
 */
final class LayerUsage {
    static final Duration FRESH = Duration.ofSeconds(10);

    record Usage(long bytes, long inodes, Instant at) {}

    private final Map<Path, Usage> walked = new ConcurrentHashMap<>();
    private final Clock clock;

    LayerUsage(Clock clock) {
        this.clock = clock;
    }

    Usage of(Path dir) {
        Instant now = clock.instant();
        Usage last = walked.get(dir);
        if (last != null && last.at().plus(FRESH).isAfter(now)) {
            return last;
        }
        Usage fresh = walk(dir, now);
        walked.put(dir, fresh);
        return fresh;
    }

    void forget(Path dir) {
        walked.remove(dir);
    }

    private static Usage walk(Path dir, Instant now) {
        long[] totals = new long[2];
        if (Files.isDirectory(dir)) {
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        totals[0] += attrs.size();
                        totals[1]++;
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                        totals[1]++;
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // removed while we walked
                    }
                });
            } catch (IOException e) {
                // a partial count is still the best answer
            }
        }
        return new Usage(totals[0], totals[1], now);
    }
}
