package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * One unpacked layer per chain ID. A snapshot is unpacked into {@code tmp/} and renamed into
 * {@code snapshots/} when complete, so a snapshot dir that exists is whole (recovery relies on
 * this: anything in tmp/ at start is a leftover and is deleted). Concurrent requests for one
 * chain ID share one unpack; a failed unpack leaves nothing and can be retried.
 */
final class SnapshotStore {
    /** Fills an empty directory with a layer. */
    @FunctionalInterface
    interface Unpack {
        void into(Path emptyDir) throws IOException, InterruptedException;
    }

    private final StoreLayout layout;
    private final ConcurrentHashMap<Digest, CompletableFuture<Void>> inProgress = new ConcurrentHashMap<>();

    SnapshotStore(StoreLayout layout) {
        this.layout = layout;
    }

    boolean has(Digest chainId) {
        return Files.isDirectory(layout.snapshot(chainId));
    }

    Path path(Digest chainId) {
        return layout.snapshot(chainId);
    }

    /**
     * Makes sure the snapshot exists, running {@code unpack} at most once at a time per chain ID.
     * Returns true when this call did the unpack, false when it existed or another call made it.
     */
    boolean ensure(Digest chainId, Unpack unpack) throws IOException, InterruptedException {
        if (has(chainId)) {
            return false;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> theirs = inProgress.putIfAbsent(chainId, mine);
        if (theirs != null) {
            await(theirs);
            return false;
        }
        try {
            if (!has(chainId)) {
                Path staging = Files.createTempDirectory(layout.tmp(), "snap-");
                try {
                    unpack.into(staging);
                    AtomicFiles.fsyncDir(staging);
                    AtomicFiles.commit(staging, layout.snapshot(chainId));
                } finally {
                    Trees.deleteRecursively(staging);
                }
            }
            mine.complete(null);
            return true;
        } catch (IOException | InterruptedException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inProgress.remove(chainId, mine);
        }
    }

    private static void await(CompletableFuture<Void> f) throws IOException, InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ImageException ie) {
                throw new ImageException(ie.kind(), ie.getMessage(), ie);
            }
            if (c instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            throw new ImageException(ImageException.Kind.INTERNAL, "unpack failed: " + c, c);
        }
    }

    boolean busy(Digest chainId) {
        return inProgress.containsKey(chainId);
    }

    List<Digest> list() throws IOException {
        List<Digest> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(layout.snapshots())) {
            for (Path d : dirs.toList()) {
                try {
                    out.add(new Digest("sha256", d.getFileName().toString()));
                } catch (ImageException e) {
                    Trees.deleteRecursively(d);
                }
            }
        }
        return out;
    }

    /** Deletes a snapshot; renamed away first so a crash never leaves a half-deleted one in place. */
    long delete(Digest chainId) throws IOException {
        Path p = layout.snapshot(chainId);
        if (!Files.exists(p)) {
            return 0;
        }
        long bytes = Trees.usage(p)[0];
        Path doomed = layout.tmp().resolve("del-" + chainId.hex() + "-" + System.nanoTime());
        Files.move(p, doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Trees.deleteRecursively(doomed);
        return bytes;
    }
}
