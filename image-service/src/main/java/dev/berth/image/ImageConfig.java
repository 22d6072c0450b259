package dev.berth.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the image service; the daemon fills them from {@code [image]} in config.toml.
 *
 * @param root store root (blobs, snapshots, records, containers' upper dirs), e.g. /var/lib/berth/images
 * @param hostsDir containerd-style {@code certs.d} dir ({@code <host>/hosts.toml}); empty: defaults only
 * @param maxConcurrentDownloads layers fetched at once, across all pulls
 * @param stallTimeout a pull with no byte received for this long is aborted
 * @param maxManifestBytes largest manifest, index or config accepted
 * @param maxLayerBytes largest uncompressed layer (size bombs stop here)
 * @param keepCompressedLayers keep layer blobs after unpack (off: dropped to save space)
 * @param allowDeviceNodes whether layers may create char/block devices (whiteouts are always fine)
 * @param retries attempts after the first on 5xx and cut connections
 * @param retryBackoff first retry delay, doubled each time
 */
public record ImageConfig(
        Path root,
        Optional<Path> hostsDir,
        int maxConcurrentDownloads,
        Duration stallTimeout,
        long maxManifestBytes,
        long maxLayerBytes,
        boolean keepCompressedLayers,
        boolean allowDeviceNodes,
        int retries,
        Duration retryBackoff) {

    public ImageConfig {
        if (maxConcurrentDownloads < 1) {
            throw new IllegalArgumentException("maxConcurrentDownloads must be at least 1");
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive");
        }
    }

    /** The defaults, under {@code root}. */
    public static ImageConfig defaults(Path root) {
        return new ImageConfig(root, Optional.empty(), 3, Duration.ofMinutes(1), 4L << 20, 16L << 30,
                false, false, 4, Duration.ofMillis(500));
    }

    public ImageConfig withHostsDir(Path dir) {
        return new ImageConfig(root, Optional.of(dir), maxConcurrentDownloads, stallTimeout, maxManifestBytes,
                maxLayerBytes, keepCompressedLayers, allowDeviceNodes, retries, retryBackoff);
    }

    public ImageConfig withStallTimeout(Duration timeout) {
        return new ImageConfig(root, hostsDir, maxConcurrentDownloads, timeout, maxManifestBytes,
                maxLayerBytes, keepCompressedLayers, allowDeviceNodes, retries, retryBackoff);
    }

    public ImageConfig withLimits(long manifestBytes, long layerBytes) {
        return new ImageConfig(root, hostsDir, maxConcurrentDownloads, stallTimeout, manifestBytes,
                layerBytes, keepCompressedLayers, allowDeviceNodes, retries, retryBackoff);
    }

    public ImageConfig withKeepCompressedLayers(boolean keep) {
        return new ImageConfig(root, hostsDir, maxConcurrentDownloads, stallTimeout, maxManifestBytes,
                maxLayerBytes, keep, allowDeviceNodes, retries, retryBackoff);
    }

    public ImageConfig withRetries(int count, Duration backoff) {
        return new ImageConfig(root, hostsDir, maxConcurrentDownloads, stallTimeout, maxManifestBytes,
                maxLayerBytes, keepCompressedLayers, allowDeviceNodes, count, backoff);
    }

    public ImageConfig withMaxConcurrentDownloads(int n) {
        return new ImageConfig(root, hostsDir, n, stallTimeout, maxManifestBytes,
                maxLayerBytes, keepCompressedLayers, allowDeviceNodes, retries, retryBackoff);
    }
}
