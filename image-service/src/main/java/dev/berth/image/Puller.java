package dev.berth.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A pull: resolve, fetch the config, then every missing layer in parallel (bounded by one
 * semaphore across all pulls), each unpacked as it streams; finally the record. Pulls of the
 * same reference share one operation; layers shared between images are unpacked once (the
 * snapshot store's per-chain-ID dedup). What a pull writes is protected from GC until its
 * record is committed.
 */
final class Puller {
    private static final Logger LOG = Logger.getLogger(Puller.class.getName());

    /** What the service gives a pull. */
    record Deps(RegistryClient client, LayerFetcher fetcher, SnapshotStore snapshots, ContentStore content,
            ImageConfig config, Timing timing, PullListener listener, ExecutorService layerThreads,
            ScheduledExecutorService watchdog, Semaphore downloads) {}

    /** Commits a finished pull (under the service's lock) and turns it into the public Image. */
    @FunctionalInterface
    interface Committer {
        Image commit(ImageRef ref, RegistryClient.Resolved resolved, byte[] configBytes, List<Digest> chainIds) throws IOException;
    }

    private final Deps deps;
    private final Committer committer;
    private final ConcurrentHashMap<String, CompletableFuture<Image>> running = new ConcurrentHashMap<>();
    private final Set<Set<Digest>> protectedSets = ConcurrentHashMap.newKeySet();

    Puller(Deps deps, Committer committer) {
        this.deps = deps;
        this.committer = committer;
    }

    /** Digests and chain IDs that pulls in flight are writing; GC must keep them. */
    Set<Digest> protectedDigests() {
        Set<Digest> all = new HashSet<>();
        protectedSets.forEach(all::addAll);
        return all;
    }

    Image pull(ImageRef ref, PullOptions options) {
        long start = deps.timing().nanoTime();
        CompletableFuture<Image> mine = new CompletableFuture<>();
        CompletableFuture<Image> theirs = running.putIfAbsent(ref.toString(), mine);
        boolean shared = theirs != null;
        boolean ok = false;
        try {
            Image image = shared ? join(theirs) : run(ref, options, mine);
            ok = true;
            return image;
        } finally {
            deps.listener().pullFinished(ref.toString(), ok, shared, Duration.ofNanos(deps.timing().nanoTime() - start));
        }
    }

    private Image run(ImageRef ref, PullOptions options, CompletableFuture<Image> mine) {
        try {
            Image image = doPull(ref, options);
            mine.complete(image);
            return image;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ImageException ie = new ImageException(ImageException.Kind.UNAVAILABLE, "pull of " + ref + " interrupted");
            mine.completeExceptionally(ie);
            throw ie;
        } catch (IOException e) {
            ImageException ie = new ImageException(ImageException.Kind.INTERNAL, "pull of " + ref + ": " + e.getMessage(), e);
            mine.completeExceptionally(ie);
            throw ie;
        } finally {
            running.remove(ref.toString(), mine);
        }
    }

    private Image doPull(ImageRef ref, PullOptions options) throws IOException, InterruptedException {
        LOG.info(() -> "pulling " + ref);
        var auth = options.auth();
        RegistryClient.Resolved resolved = deps.client().resolve(ref, auth);
        Manifest m = resolved.manifest();
        byte[] configBytes = deps.client().fetchSmallBlob(resolved, ref, m.config(), auth);
        List<Digest> diffIds = diffIds(ref, configBytes, m.layers().size());
        List<Digest> chainIds = ChainIds.of(diffIds);
        Set<Digest> guard = ConcurrentHashMap.newKeySet();
        guard.addAll(chainIds);
        guard.add(m.config().digest());
        m.layers().forEach(l -> guard.add(l.digest()));
        protectedSets.add(guard);
        PullWatch watch = new PullWatch(ref.toString(), deps.timing(), deps.config().stallTimeout());
        long period = Math.max(10, deps.config().stallTimeout().toMillis() / 4);
        ScheduledFuture<?> tick = deps.watchdog().scheduleAtFixedRate(watch::check, period, period, TimeUnit.MILLISECONDS);
        try {
            List<Future<?>> layers = new ArrayList<>();
            for (int i = 0; i < chainIds.size(); i++) {
                LayerFetcher.Job job = new LayerFetcher.Job(resolved, ref, m.layers().get(i), diffIds.get(i), auth, watch);
                Digest chainId = chainIds.get(i);
                layers.add(deps.layerThreads().submit(() -> {
                    layer(job, chainId);
                    return null;
                }));
            }
            for (Future<?> f : layers) {
                await(f, layers);
            }
            Image image = committer.commit(ref, resolved, configBytes, chainIds);
            LOG.info(() -> "pulled " + ref + " as " + image.id());
            return image;
        } finally {
            tick.cancel(false);
            protectedSets.remove(guard);
        }
    }

    private void layer(LayerFetcher.Job job, Digest chainId) throws IOException, InterruptedException {
        if (deps.snapshots().has(chainId)) {
            deps.listener().layerReused(job.ref().toString(), job.diffId());
            return;
        }
        deps.downloads().acquire();
        try {
            boolean did = deps.snapshots().ensure(chainId, dir -> deps.fetcher().unpack(job, dir));
            if (!did) {
                deps.listener().layerReused(job.ref().toString(), job.diffId());
            }
        } finally {
            deps.downloads().release();
        }
    }

    private static void await(Future<?> f, List<Future<?>> all) throws IOException, InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            all.forEach(other -> other.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof ImageException ie) {
                throw new ImageException(ie.kind(), ie.getMessage(), ie);
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            throw new ImageException(ImageException.Kind.INTERNAL, "layer failed: " + c, c);
        }
    }

    private static List<Digest> diffIds(ImageRef ref, byte[] configBytes, int layerCount) {
        JsonNode config = Manifest.readJson(configBytes, "config of " + ref);
        JsonNode ids = config.path("rootfs").path("diff_ids");
        if (!ids.isArray() || ids.size() != layerCount) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + ref + ": config lists "
                    + (ids.isArray() ? ids.size() : 0) + " diff_ids for " + layerCount + " layers");
        }
        List<Digest> out = new ArrayList<>();
        for (JsonNode id : ids) {
            try {
                out.add(Digest.parse(id.asText()));
            } catch (ImageException e) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + ref + ": config: " + e.getMessage());
            }
        }
        return out;
    }

    private static Image join(CompletableFuture<Image> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(ImageException.Kind.UNAVAILABLE, "interrupted while waiting for a pull");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ImageException ie) {
                throw new ImageException(ie.kind(), ie.getMessage(), ie);
            }
            throw new ImageException(ImageException.Kind.INTERNAL, "pull failed: " + e.getCause(), e.getCause());
        }
    }
}
