package dev.berth.server.config;

import java.util.function.UnaryOperator;

/** Checks the {@code [checkpoint]} table; part of {@link ConfigValidator}. */
final class CheckpointKeysValidator {
    private static final long MIN_ARCHIVE_BYTES = 1 << 20;
    private static final long MAX_ARCHIVE_BYTES = 1L << 40;

    private CheckpointKeysValidator() {}

    static void validate(BerthConfig.Checkpoint checkpoint, UnaryOperator<String> where) throws ConfigException {
        String criu = checkpoint.criuPath();
        if (criu.isBlank() || criu.indexOf('\0') >= 0 || (criu.contains("/") && !criu.startsWith("/"))) {
            throw new ConfigException(where.apply("checkpoint.criu_path") + "checkpoint.criu_path = \"" + criu.replace('\0', '?')
                    + "\" must be a command name (looked up on PATH) or an absolute path");
        }
        long max = checkpoint.maxArchiveBytes();
        if (max < MIN_ARCHIVE_BYTES || max > MAX_ARCHIVE_BYTES) {
            throw new ConfigException(where.apply("checkpoint.max_archive_bytes") + "checkpoint.max_archive_bytes = " + max
                    + " is outside " + MIN_ARCHIVE_BYTES + "-" + MAX_ARCHIVE_BYTES);
        }
    }
}
