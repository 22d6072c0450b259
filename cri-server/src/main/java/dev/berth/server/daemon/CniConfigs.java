package dev.berth.server.daemon;

import dev.berth.cni.CniConfig;
import dev.berth.server.config.BerthConfig;
import java.time.Duration;

/** Maps the {@code [cni]} config keys onto cni-bridge's {@link CniConfig}. */
final class CniConfigs {
    private CniConfigs() {}

    static CniConfig from(BerthConfig config) {
        BerthConfig.Cni cni = config.cni();
        BerthConfig.Cni.DefaultNetwork net = cni.defaultNetwork();
        return new CniConfig(
                cni.confDirs(),
                cni.binDirs(),
                cni.netnsDirUnder(config.state()),
                cni.cacheDirUnder(config.root()),
                Duration.ofSeconds(cni.pluginTimeoutSeconds()),
                cni.maxOutputBytes(),
                null, // the pod's interface: cni-bridge's default, eth0, is what kubelet expects
                cni.writeDefaultConfig(),
                // host-local keeps its leases in its default dir, /var/lib/cni/networks, as with other runtimes
                new CniConfig.DefaultNetwork(net.name(), net.bridge(), net.subnet(), null));
    }
}
