package dev.berth.cni;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/** Makes the {@link PodNetwork} of a node. */
public final class PodNetworks {
    private static final System.Logger LOG = System.getLogger(PodNetworks.class.getName());

    private PodNetworks() {}

    public static PodNetwork create(CniConfig config) {
        return create(config, new LinuxSyscalls());
    }

    /**
     * A pod network using {@code sys} for namespaces. If no network config exists in any config
     * dir and {@link CniConfig#writeDefaultConfig()} is on, the default bridge network is written
     * into the first one now (only at creation: a config the admin later removes stays removed).
     */
    public static PodNetwork create(CniConfig config, Syscalls sys) {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        ConfigSource configs = new ConfigSource(config.confDirs(), json);
        if (config.writeDefaultConfig() && configs.candidates().isEmpty()) {
            try {
                Path written = DefaultConfList.write(config.confDirs().getFirst(), config.defaultNetwork(), PodCidrs.NONE, json);
                LOG.log(Level.INFO, "no CNI network config found; wrote the default bridge network to {0}", written);
            } catch (UncheckedIOException e) {
                LOG.log(Level.WARNING, "{0}; pod networking stays not ready until a network config exists", e.getMessage());
            }
        }
        PluginExec exec = new PluginExec(config.binDirs(), config.pluginTimeout(), config.maxOutputBytes(), sys, json);
        return new CniPodNetwork(config, configs, exec, new ResultCache(config.cacheDir(), json), new NetnsPins(config.netnsDir(), sys), json);
    }
}
