package dev.berth.server.config;

import dev.berth.cni.Cidr;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Checks the {@code [cni]} table; part of {@link ConfigValidator}. */
final class CniKeysValidator {
    /** IFNAMSIZ is 16 bytes including the terminating NUL. */
    private static final int MAX_INTERFACE_NAME = 15;
    /** The CNI spec's rule for network names; the name also becomes a file name. */
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    /** Below this a plugin's error message may be cut off; cni-bridge refuses less. */
    private static final int MIN_OUTPUT_BYTES = 4096;
    private static final int MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

    private CniKeysValidator() {}

    static void validate(BerthConfig.Cni cni, UnaryOperator<String> where) throws ConfigException {
        absoluteDirs(where, "cni.conf_dirs", cni.confDirs());
        absoluteDirs(where, "cni.bin_dirs", cni.binDirs());
        absoluteOrEmpty(where, "cni.netns_dir", cni.netnsDir());
        absoluteOrEmpty(where, "cni.cache_dir", cni.cacheDir());
        if (cni.pluginTimeoutSeconds() <= 0) {
            throw new ConfigException(where.apply("cni.plugin_timeout_seconds") + "cni.plugin_timeout_seconds = "
                    + cni.pluginTimeoutSeconds() + " must be greater than 0");
        }
        int maxOutput = cni.maxOutputBytes();
        if (maxOutput < MIN_OUTPUT_BYTES || maxOutput > MAX_OUTPUT_BYTES) {
            throw new ConfigException(where.apply("cni.max_output_bytes") + "cni.max_output_bytes = " + maxOutput
                    + " is outside " + MIN_OUTPUT_BYTES + "-" + MAX_OUTPUT_BYTES);
        }
        defaultNetwork(cni.defaultNetwork(), where);
    }

    private static void defaultNetwork(BerthConfig.Cni.DefaultNetwork net, UnaryOperator<String> where) throws ConfigException {
        if (!NETWORK_NAME.matcher(net.name()).matches()) {
            throw new ConfigException(where.apply("cni.default_network.name") + "cni.default_network.name = \"" + net.name()
                    + "\" must start with a letter or digit and hold only letters, digits, '_', '.' and '-'");
        }
        String bridge = net.bridge();
        if (bridge.isEmpty() || bridge.length() > MAX_INTERFACE_NAME || bridge.equals(".") || bridge.equals("..")
                || bridge.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c > 0x7e)) {
            throw new ConfigException(where.apply("cni.default_network.bridge") + "cni.default_network.bridge = \"" + bridge
                    + "\" is not a network device name (1 to " + MAX_INTERFACE_NAME + " characters, no '/', ':' or spaces)");
        }
        try {
            Cidr.parse(net.subnet());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where.apply("cni.default_network.subnet") + "cni.default_network.subnet " + e.getMessage(), e);
        }
    }

    private static void absoluteDirs(UnaryOperator<String> where, String key, List<Path> dirs) throws ConfigException {
        if (dirs.isEmpty()) {
            throw new ConfigException(where.apply(key) + key + " is empty; it needs at least one directory");
        }
        for (Path dir : dirs) {
            if (!dir.isAbsolute()) {
                throw new ConfigException(where.apply(key) + key + " holds \"" + dir + "\"; every entry must be an absolute path");
            }
        }
    }

    private static void absoluteOrEmpty(UnaryOperator<String> where, String key, Path dir) throws ConfigException {
        if (!dir.equals(BerthConfig.Cni.UNDER_STATE_OR_ROOT) && !dir.isAbsolute()) {
            throw new ConfigException(where.apply(key) + key + " = \"" + dir
                    + "\" must be an absolute path, or empty for the default place");
        }
    }
}
