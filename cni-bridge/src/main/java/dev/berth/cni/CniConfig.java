package dev.berth.cni;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the pod network; every null component takes its default, so
 * {@code CniConfig.defaults(root, state)} is what a daemon with no {@code [cni]} keys uses.
 *
 * @param confDirs where network configs are found; the lowest-sorting {@code .conflist},
 *     {@code .conf} or {@code .json} file of the first directory that has one is used
 * @param binDirs where plugin binaries are found, in order; also CNI_PATH
 * @param netnsDir where network namespaces are pinned, one file per pod
 * @param cacheDir where each attachment's config and result are kept until DEL (must survive
 *     daemon restarts, so under the persistent root)
 * @param pluginTimeout longest a single plugin call may run before it is killed
 * @param maxOutputBytes cap on a plugin's stdout and on its stderr
 * @param ifName interface name inside the pod (CNI_IFNAME)
 * @param writeDefaultConfig whether to write the default bridge network into the first config
 *     dir when no config exists there or in the others
 * @param defaultNetwork the network written when {@code writeDefaultConfig} applies
 */
public record CniConfig(
        List<Path> confDirs,
        List<Path> binDirs,
        Path netnsDir,
        Path cacheDir,
        Duration pluginTimeout,
        Integer maxOutputBytes,
        String ifName,
        Boolean writeDefaultConfig,
        DefaultNetwork defaultNetwork) {

    public static final List<Path> DEFAULT_CONF_DIRS = List.of(Path.of("/etc/cni/net.d"));
    public static final List<Path> DEFAULT_BIN_DIRS = List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni"));

    public CniConfig {
        confDirs = List.copyOf(Objects.requireNonNullElse(confDirs, DEFAULT_CONF_DIRS));
        binDirs = List.copyOf(Objects.requireNonNullElse(binDirs, DEFAULT_BIN_DIRS));
        Objects.requireNonNull(netnsDir, "netnsDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        pluginTimeout = Objects.requireNonNullElse(pluginTimeout, Duration.ofSeconds(60));
        maxOutputBytes = Objects.requireNonNullElse(maxOutputBytes, 1 << 20);
        ifName = Objects.requireNonNullElse(ifName, "eth0");
        writeDefaultConfig = Objects.requireNonNullElse(writeDefaultConfig, Boolean.TRUE);
        defaultNetwork = Objects.requireNonNullElseGet(defaultNetwork, () -> new DefaultNetwork(null, null, null, null));
        if (confDirs.isEmpty() || binDirs.isEmpty()) {
            throw new IllegalArgumentException("cni: at least one config dir and one bin dir are needed");
        }
        if (pluginTimeout.isNegative() || pluginTimeout.isZero()) {
            throw new IllegalArgumentException("cni: plugin timeout must be positive: " + pluginTimeout);
        }
        if (maxOutputBytes < 4096) {
            throw new IllegalArgumentException("cni: max output bytes must be at least 4096: " + maxOutputBytes);
        }
    }

    /** Defaults under the daemon's persistent {@code root} and volatile {@code state} dirs. */
    public static CniConfig defaults(Path root, Path state) {
        return new CniConfig(null, null, state.resolve("netns"), root.resolve("cni").resolve("results"), null, null, null, null, null);
    }

    public CniConfig withConfDirs(List<Path> value) {
        return new CniConfig(value, binDirs, netnsDir, cacheDir, pluginTimeout, maxOutputBytes, ifName, writeDefaultConfig, defaultNetwork);
    }

    public CniConfig withBinDirs(List<Path> value) {
        return new CniConfig(confDirs, value, netnsDir, cacheDir, pluginTimeout, maxOutputBytes, ifName, writeDefaultConfig, defaultNetwork);
    }

    public CniConfig withPluginTimeout(Duration value) {
        return new CniConfig(confDirs, binDirs, netnsDir, cacheDir, value, maxOutputBytes, ifName, writeDefaultConfig, defaultNetwork);
    }

    public CniConfig withWriteDefaultConfig(boolean value) {
        return new CniConfig(confDirs, binDirs, netnsDir, cacheDir, pluginTimeout, maxOutputBytes, ifName, value, defaultNetwork);
    }

    public CniConfig withDefaultNetwork(DefaultNetwork value) {
        return new CniConfig(confDirs, binDirs, netnsDir, cacheDir, pluginTimeout, maxOutputBytes, ifName, writeDefaultConfig, value);
    }

    /**
     * The network Berth writes when there is none: bridge (gateway, IP masquerade, hairpin) with
     * host-local IPAM, then portmap. {@code lo} is brought up by Berth itself, not by a plugin.
     *
     * @param name network name, also the conflist file name ({@code 10-<name>.conflist})
     * @param bridge host bridge device
     * @param subnet subnet pods get addresses from until {@link PodNetwork#usePodCidrs} gives the node's pod CIDRs
     * @param ipamDataDir host-local's {@code dataDir}, or null for its default (/var/lib/cni/networks)
     */
    public record DefaultNetwork(String name, String bridge, String subnet, Path ipamDataDir) {
        public DefaultNetwork {
            name = Objects.requireNonNullElse(name, "berth");
            bridge = Objects.requireNonNullElse(bridge, "berth0");
            subnet = Objects.requireNonNullElse(subnet, "10.88.0.0/16");
            if (bridge.isEmpty() || bridge.length() > 15) {
                throw new IllegalArgumentException("cni: bridge name must have 1 to 15 characters: " + bridge);
            }
        }
    }
}
