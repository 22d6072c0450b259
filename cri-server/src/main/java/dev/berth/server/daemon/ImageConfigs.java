package dev.berth.server.daemon;

import dev.berth.image.ImageConfig;
import dev.berth.server.config.BerthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Maps the {@code [image]} config keys onto image-service's {@link ImageConfig}. */
final class ImageConfigs {
    private ImageConfigs() {}

    static ImageConfig from(BerthConfig config) {
        BerthConfig.Image image = config.image();
        // an empty config_path: no hosts.toml lookups, every registry at its own HTTPS server
        Optional<Path> hostsDir = image.configPath().equals(Path.of("")) ? Optional.empty() : Optional.of(image.configPath());
        return new ImageConfig(
                image.rootUnder(config.root()),
                hostsDir,
                image.maxConcurrentDownloads(),
                Duration.ofSeconds(image.stallTimeoutSeconds()),
                image.maxManifestBytes(),
                image.maxLayerBytes(),
                image.keepCompressedLayers(),
                image.allowDeviceNodes(),
                image.retries(),
                Duration.ofMillis(image.retryBackoffMillis()));
    }
}
