package dev.berth.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One checkpoint of a running container.
 *
 * @param imagesDir an existing, empty directory for CRIU's images (and the runtime's notes on them)
 * @param workDir an existing directory for CRIU's log, {@code dump.log}
 * @param timeout how long the dump may take
 * @param whileFrozen runs after the dump while every process of the container is still frozen, so
 *     what it reads of the container's files matches the images (the writable layer's export)
 */
public record CheckpointRequest(Path imagesDir, Path workDir, Duration timeout, Runnable whileFrozen) {
    public CheckpointRequest {
        Objects.requireNonNull(imagesDir, "imagesDir");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(timeout, "timeout");
        whileFrozen = Objects.requireNonNullElse(whileFrozen, () -> {});
    }
}
