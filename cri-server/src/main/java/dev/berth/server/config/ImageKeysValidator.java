package dev.berth.server.config;

import dev.berth.image.ImageException;
import dev.berth.image.ImageRef;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Checks the {@code [image]} table; part of {@link ConfigValidator}. */
final class ImageKeysValidator {
    private static final int MAX_DOWNLOADS = 64;
    /** Below this even a small manifest list would be refused. */
    private static final long MIN_MANIFEST_BYTES = 4096;
    /** Manifests and configs are held in memory while parsed. */
    private static final long MAX_MANIFEST_BYTES = 256L * 1024 * 1024;
    private static final long MIN_LAYER_BYTES = 1024 * 1024;
    private static final int MAX_RETRIES = 20;
    private static final int MAX_BACKOFF_MILLIS = 60_000;

    private ImageKeysValidator() {}

    static void validate(BerthConfig.Image image, UnaryOperator<String> where) throws ConfigException {
        absoluteOrEmpty(where, "image.root", image.root(), "or empty for <root>/images");
        absoluteOrEmpty(where, "image.config_path", image.configPath(), "or empty for no registry host config");
        range(where, "image.max_concurrent_downloads", image.maxConcurrentDownloads(), 1, MAX_DOWNLOADS);
        if (image.stallTimeoutSeconds() <= 0) {
            throw new ConfigException(where.apply("image.stall_timeout_seconds") + "image.stall_timeout_seconds = "
                    + image.stallTimeoutSeconds() + " must be greater than 0");
        }
        range(where, "image.max_manifest_bytes", image.maxManifestBytes(), MIN_MANIFEST_BYTES, MAX_MANIFEST_BYTES);
        if (image.maxLayerBytes() < MIN_LAYER_BYTES) {
            throw new ConfigException(where.apply("image.max_layer_bytes") + "image.max_layer_bytes = "
                    + image.maxLayerBytes() + " must be at least " + MIN_LAYER_BYTES);
        }
        range(where, "image.retries", image.retries(), 0, MAX_RETRIES);
        range(where, "image.retry_backoff_millis", image.retryBackoffMillis(), 0, MAX_BACKOFF_MILLIS);
        if (!image.sandboxImage().isEmpty()) {
            try {
                ImageRef.parse(image.sandboxImage());
            } catch (ImageException e) {
                throw new ConfigException(where.apply("image.sandbox_image") + "image.sandbox_image: " + e.getMessage(), e);
            }
        }
    }

    private static void range(UnaryOperator<String> where, String key, long value, long min, long max) throws ConfigException {
        if (value < min || value > max) {
            throw new ConfigException(where.apply(key) + key + " = " + value + " is outside " + min + "-" + max);
        }
    }

    private static void absoluteOrEmpty(UnaryOperator<String> where, String key, Path dir, String emptyMeans)
            throws ConfigException {
        if (!dir.equals(Path.of("")) && !dir.isAbsolute()) {
            throw new ConfigException(where.apply(key) + key + " = \"" + dir + "\" must be an absolute path, " + emptyMeans);
        }
    }
}
