package dev.berth.image;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * Downloads one layer and unpacks it as it streams, in a single pass: network (resumable) →
 * digest and size check of the blob → decompression → diffID check and size limit → tar header
 * guard → extraction. A mismatch at the end fails the unpack, so the staging dir is discarded.
 */
final class LayerFetcher {
    private static final Logger LOG = Logger.getLogger(LayerFetcher.class.getName());
    private static final int BUFFER = 1 << 16;

    private final RegistryClient client;
    private final ContentStore content;
    private final StoreLayout layout;
    private final ImageConfig config;
    private final Timing timing;
    private final PullListener listener;
    private final TarExtractor.Options extractOptions;

    LayerFetcher(RegistryClient client, ContentStore content, StoreLayout layout, ImageConfig config, Timing timing,
            PullListener listener, TarExtractor.Options extractOptions) {
        this.client = client;
        this.content = content;
        this.layout = layout;
        this.config = config;
        this.timing = timing;
        this.listener = listener;
        this.extractOptions = extractOptions;
    }

    /** A layer of a pull: which blob, and the diffID the image config promises for it. */
    record Job(RegistryClient.Resolved resolved, ImageRef ref, Descriptor blob, Digest diffId,
            Optional<RegistryAuth> auth, PullWatch watch) {}

    void unpack(Job job, Path dir) throws IOException, InterruptedException {
        String what = "layer " + job.blob().digest() + " of " + job.ref();
        long start = timing.nanoTime();
        job.watch().enter(job.blob().digest().toString());
        Path teeFile = null;
        try (InputStream raw = open(job, what)) {
            Optional<OutputStream> tee = Optional.empty();
            if (config.keepCompressedLayers() && !content.has(job.blob().digest())) {
                teeFile = Files.createTempFile(layout.tmp(), "blob-", "");
                tee = Optional.of(new java.io.BufferedOutputStream(Files.newOutputStream(teeFile), BUFFER));
            }
            CheckedStream blob = new CheckedStream(raw, job.blob().digest().algorithm(), job.blob().size(), what, tee);
            InputStream plain = decompress(MediaTypes.layerCompression(job.blob().mediaType()), blob);
            CheckedStream diff = new CheckedStream(plain, job.diffId().algorithm(), config.maxLayerBytes(),
                    what + " (uncompressed)", Optional.empty());
            try {
                new TarExtractor(dir, extractOptions).extract(new TarHeaderGuard(diff));
            } catch (SnapshotPaths.UnsafeEntry e) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + job.ref() + ", " + what + ": " + e.getMessage());
            }
            diff.drain();
            blob.drain();
            blob.verify(job.blob().digest(), job.blob().size());
            diff.verify(job.diffId(), -1);
            if (tee.isPresent()) {
                tee.get().close();
                try (var ch = java.nio.channels.FileChannel.open(teeFile, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                content.commit(job.blob().digest(), teeFile);
            }
            listener.blobFetched(job.ref().toString(), job.blob().digest(), blob.count());
            Duration took = Duration.ofNanos(timing.nanoTime() - start);
            listener.layerUnpacked(job.ref().toString(), job.diffId(), diff.count(), took);
            LOG.info(() -> String.format("unpacked %s: %d bytes (%d uncompressed) in %d ms", what, blob.count(),
                    diff.count(), took.toMillis()));
        } catch (IOException | RuntimeException e) {
            if (job.watch().aborted()) {
                Thread.interrupted(); // the watchdog's interrupt; the pull fails with its message
                job.watch().failIfAborted();
            }
            if (e instanceof ImageException) {
                throw e;
            }
            if (e instanceof IOException io && isFromStream(io)) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + job.ref() + ", " + what
                        + ": cannot read the layer: " + io.getMessage(), io);
            }
            throw e;
        } finally {
            job.watch().leave(job.blob().digest().toString());
            if (teeFile != null) {
                Files.deleteIfExists(teeFile);
            }
        }
    }

    /** The kept blob when present, else the registry. */
    private InputStream open(Job job, String what) throws IOException {
        if (content.has(job.blob().digest())) {
            return new BufferedInputStream(Files.newInputStream(layout.blob(job.blob().digest())), BUFFER);
        }
        RegistryClient.Resolved r = job.resolved();
        return new BufferedInputStream(new ResumingStream(
                offset -> client.openBlob(r.host(), job.ref(), job.blob().digest(), offset, job.auth()),
                job.watch()::advanced, config, timing, listener, what), BUFFER);
    }

    private static InputStream decompress(MediaTypes.Compression c, InputStream in) throws IOException {
        return switch (c) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), BUFFER);
        };
    }

    /** Decompression and tar format errors (not local disk errors) mean bad content. */
    private static boolean isFromStream(IOException e) {
        return e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException
                || e.getClass().getName().startsWith("com.github.luben") || e.getMessage() != null
                && (e.getMessage().contains("tar") || e.getMessage().contains("header"));
    }
}
