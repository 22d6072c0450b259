package dev.berth.server.observe;

import dev.berth.image.Digest;
import dev.berth.image.PullListener;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.time.Duration;

/**
 * The image service's pull events as Prometheus metrics. No label carries an image reference:
 * references are unbounded, and a scrape must stay small on a node that pulled thousands.
 */
public final class ImagePullMetrics implements PullListener {
    private final Counter pulls;
    private final Histogram pullDuration;
    private final Counter bytesFetched;
    private final Counter layersReused;
    private final Counter layersUnpacked;
    private final Histogram unpackDuration;
    private final Counter retries;

    public ImagePullMetrics(CollectorRegistry registry) {
        pulls = Counter.build()
                .name("berth_image_pulls_total")
                .help("Image pulls finished, by result (success or failure) and whether the call joined another caller's pull.")
                .labelNames("result", "shared")
                .register(registry);
        pullDuration = Histogram.build()
                .name("berth_image_pull_duration_seconds")
                .help("Time a PullImage took, by result.")
                .labelNames("result")
                .buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
                .register(registry);
        bytesFetched = Counter.build()
                .name("berth_image_bytes_fetched_total")
                .help("Bytes of blobs (layers, configs, manifests) received from registries.")
                .register(registry);
        layersReused = Counter.build()
                .name("berth_image_layers_reused_total")
                .help("Layers a pull did not download because they were already unpacked.")
                .register(registry);
        layersUnpacked = Counter.build()
                .name("berth_image_layers_unpacked_total")
                .help("Layers unpacked into new snapshots.")
                .register(registry);
        unpackDuration = Histogram.build()
                .name("berth_image_layer_unpack_duration_seconds")
                .help("Time to unpack one layer into its snapshot.")
                .buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
                .register(registry);
        retries = Counter.build()
                .name("berth_image_registry_retries_total")
                .help("Registry requests retried, or downloads resumed, after a 5xx answer or a cut connection.")
                .register(registry);
    }

    @Override
    public void pullFinished(String reference, boolean success, boolean shared, Duration took) {
        String result = success ? "success" : "failure";
        pulls.labels(result, Boolean.toString(shared)).inc();
        pullDuration.labels(result).observe(took.toNanos() / 1e9);
    }

    @Override
    public void blobFetched(String reference, Digest digest, long bytes) {
        bytesFetched.inc(bytes);
    }

    @Override
    public void layerReused(String reference, Digest diffId) {
        layersReused.inc();
    }

    @Override
    public void layerUnpacked(String reference, Digest diffId, long uncompressedBytes, Duration took) {
        layersUnpacked.inc();
        unpackDuration.observe(took.toNanos() / 1e9);
    }

    @Override
    public void retried(String host, String why) {
        // no host label: for a resumed download the image service passes the blob, not the host
        retries.inc();
    }
}
