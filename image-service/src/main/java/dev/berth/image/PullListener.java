package dev.berth.image;

import java.time.Duration;

/**
 * Pull events, for metrics (cri-server counts them for Prometheus). Called on pull threads;
 * implementations must be quick and thread-safe. Every method has a no-op default.
 */
public interface PullListener {
    PullListener NONE = new PullListener() {};

    /** A pull finished; {@code shared} when it joined another caller's pull of the same image. */
    default void pullFinished(String reference, boolean success, boolean shared, Duration took) {}

    /** A blob (layer, config or manifest) came from the registry, {@code bytes} long. */
    default void blobFetched(String reference, Digest digest, long bytes) {}

    /** A layer was already unpacked, so no download happened. */
    default void layerReused(String reference, Digest diffId) {}

    /** A layer was unpacked into a new snapshot. */
    default void layerUnpacked(String reference, Digest diffId, long uncompressedBytes, Duration took) {}

    /** A request was retried after a 5xx or a cut connection. */
    default void retried(String host, String why) {}
}
