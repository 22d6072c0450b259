package dev.berth.runtime;

import java.util.Objects;

/**
 * Whether this node can checkpoint and restore containers: CRIU is there and {@code criu check}
 * passes. Reported in CRI Status; CheckpointContainer refuses with {@link #reason()} otherwise.
 *
 * @param criu the CRIU binary used (absolute), or the configured name when it was not found
 * @param criuVersion what {@code criu --version} said ("4.2"), or "" when unknown
 */
public record CheckpointSupport(boolean available, String reason, String criu, String criuVersion) {
    public CheckpointSupport {
        reason = Objects.requireNonNullElse(reason, "");
        criu = Objects.requireNonNullElse(criu, "");
        criuVersion = Objects.requireNonNullElse(criuVersion, "");
    }

    public static CheckpointSupport unavailable(String reason) {
        return new CheckpointSupport(false, reason, "", "");
    }
}
