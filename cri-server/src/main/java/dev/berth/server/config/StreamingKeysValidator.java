package dev.berth.server.config;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Checks the {@code [streaming]} table; part of {@link ConfigValidator}. */
final class StreamingKeysValidator {
    /** kubelet's own bound on --streaming-connection-idle-timeout is none; a week keeps a typo from meaning "forever". */
    private static final int MAX_IDLE_SECONDS = 7 * 24 * 60 * 60;
    private static final int MAX_CREATION_SECONDS = 10 * 60;

    private StreamingKeysValidator() {}

    static void validate(BerthConfig.Streaming streaming, UnaryOperator<String> where) throws ConfigException {
        try {
            ListenAddress.parse(streaming.address());
        } catch (ConfigException e) {
            throw new ConfigException(where.apply("streaming.address") + "streaming.address " + e.getMessage(), e);
        }
        boolean cert = !streaming.tlsCertFile().equals(BerthConfig.Streaming.NO_FILE);
        boolean key = !streaming.tlsKeyFile().equals(BerthConfig.Streaming.NO_FILE);
        if (cert != key) {
            String set = cert ? "streaming.tls_cert_file" : "streaming.tls_key_file";
            throw new ConfigException(where.apply(set) + set + " is set but " + (cert ? "streaming.tls_key_file" : "streaming.tls_cert_file")
                    + " is not; set both for HTTPS, or neither for plain HTTP");
        }
        absoluteOrEmpty(where, "streaming.tls_cert_file", streaming.tlsCertFile());
        absoluteOrEmpty(where, "streaming.tls_key_file", streaming.tlsKeyFile());
        range(where, "streaming.idle_timeout_seconds", streaming.idleTimeoutSeconds(), 1, MAX_IDLE_SECONDS);
        range(where, "streaming.stream_creation_timeout_seconds", streaming.streamCreationTimeoutSeconds(), 1, MAX_CREATION_SECONDS);
    }

    private static void range(UnaryOperator<String> where, String key, int value, int min, int max) throws ConfigException {
        if (value < min || value > max) {
            throw new ConfigException(where.apply(key) + key + " = " + value + " is outside " + min + "-" + max);
        }
    }

    private static void absoluteOrEmpty(UnaryOperator<String> where, String key, Path file) throws ConfigException {
        if (!file.equals(BerthConfig.Streaming.NO_FILE) && !file.isAbsolute()) {
            throw new ConfigException(where.apply(key) + key + " = \"" + file + "\" must be an absolute path, or empty for plain HTTP");
        }
    }
}
