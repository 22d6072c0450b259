package dev.berth.server.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Checks values that TOML typing cannot: enumerations, absolute paths, addresses, bounds. */
final class ConfigValidator {
    static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace");
    static final Set<String> CGROUP_DRIVERS = Set.of("auto", "cgroupfs", "systemd");
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private ConfigValidator() {}

    /**
     * @param where turns a dotted key into the message prefix naming where it was set
     *     (for example {@code "/etc/berth/config.toml:3: "})
     */
    static void validate(BerthConfig config, UnaryOperator<String> where) throws ConfigException {
        absolute(where, "root", config.root());
        absolute(where, "state", config.state());
        absolute(where, "grpc.socket", config.grpc().socket());
        int socketBytes = config.grpc().socket().toString().getBytes(StandardCharsets.UTF_8).length;
        if (socketBytes > MAX_SOCKET_PATH_BYTES) {
            throw new ConfigException(where.apply("grpc.socket") + "grpc.socket is " + socketBytes
                    + " bytes long; a unix socket path must fit in " + MAX_SOCKET_PATH_BYTES);
        }
        oneOf(where, "log_level", config.logLevel(), LOG_LEVELS);
        oneOf(where, "cgroup.driver", config.cgroup().driver(), CGROUP_DRIVERS);
        int max = config.grpc().maxMessageBytes();
        if (max < 4096 || max > MAX_MESSAGE_BYTES) {
            throw new ConfigException(where.apply("grpc.max_message_bytes") + "grpc.max_message_bytes = " + max + " is outside 4096-" + MAX_MESSAGE_BYTES);
        }
        try {
            ListenAddress.parse(config.metrics().address());
        } catch (ConfigException e) {
            throw new ConfigException(where.apply("metrics.address") + "metrics.address " + e.getMessage(), e);
        }
        CniKeysValidator.validate(config.cni(), where);
        ImageKeysValidator.validate(config.image(), where);
        StreamingKeysValidator.validate(config.streaming(), where);
        CheckpointKeysValidator.validate(config.checkpoint(), where);
    }

    private static void absolute(UnaryOperator<String> where, String key, Path path) throws ConfigException {
        if (!path.isAbsolute()) {
            throw new ConfigException(where.apply(key) + key + " = \"" + path + "\" must be an absolute path");
        }
    }

    private static void oneOf(UnaryOperator<String> where, String key, String value, Set<String> allowed)
            throws ConfigException {
        if (!allowed.contains(value)) {
            throw new ConfigException(where.apply(key) + key + " = \"" + value + "\" is not one of " + allowed.stream().sorted().toList());
        }
    }
}
