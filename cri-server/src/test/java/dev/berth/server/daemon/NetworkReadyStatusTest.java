package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.cri.api.v1.RuntimeCondition;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StatusRequest;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.config.BerthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRI Status's NetworkReady condition from a daemon's CNI config dir and plugin dirs. */
class NetworkReadyStatusTest {
    /** Debian's containernetworking-plugins. */
    private static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

    @TempDir
    Path dir;

    private BerthConfig withCni(boolean writeDefaultConfig, Path binDir) throws Exception {
        BerthConfig config = TestConfigs.inside(dir, false);
        return config.withCni(config.cni().withWriteDefaultConfig(writeDefaultConfig).withBinDirs(List.of(binDir)));
    }

    private static RuntimeCondition networkReady(BerthConfig config) throws Exception {
        try (Daemon daemon = Daemon.start(config); CriChannels client = new CriChannels(config.grpc().socket())) {
            return networkReadyOf(client);
        }
    }

    private static RuntimeCondition networkReadyOf(CriChannels client) {
        return RuntimeServiceGrpc.newBlockingStub(client.channel()).status(StatusRequest.getDefaultInstance())
                .getStatus().getConditionsList().stream().filter(c -> c.getType().equals("NetworkReady")).findFirst().orElseThrow();
    }

    private static void assumeDebianPlugins() {
        for (String plugin : List.of("bridge", "host-local", "portmap")) {
            assumeTrue(Files.isExecutable(DEBIAN_PLUGINS.resolve(plugin)),
                    "needs Debian's containernetworking-plugins in " + DEBIAN_PLUGINS + " (no " + plugin + ")");
        }
    }

    @Test
    void notReadyWithNoNetworkConfigWhenTheConfDirIsEmptyAndWritingTheDefaultIsOff() throws Exception {
        RuntimeCondition network = networkReady(withCni(false, DEBIAN_PLUGINS));

        assertFalse(network.getStatus());
        assertEquals("NoNetworkConfig", network.getReason());
        assertTrue(network.getMessage().contains(TestConfigs.confDir(dir).toString()), network.getMessage());
        assertFalse(Files.exists(TestConfigs.confDir(dir)), "nothing written");
    }

    @Test
    void notReadyWithPluginMissingWhenTheBinDirHoldsNoPlugins() throws Exception {
        Path emptyBin = Files.createDirectories(dir.resolve("empty-bin"));

        RuntimeCondition network = networkReady(withCni(true, emptyBin));

        assertFalse(network.getStatus());
        assertEquals("PluginMissing", network.getReason());
        assertTrue(network.getMessage().contains("\"bridge\"") && network.getMessage().contains(emptyBin.toString()), network.getMessage());
    }

    @Test
    void readyWithTheWrittenDefaultNetworkAndDebiansPlugins() throws Exception {
        assumeDebianPlugins();

        RuntimeCondition network = networkReady(withCni(true, DEBIAN_PLUGINS));

        assertTrue(network.getStatus(), network.getReason() + ": " + network.getMessage());
        assertEquals("", network.getReason());
        assertEquals("", network.getMessage());
        assertTrue(Files.isRegularFile(TestConfigs.confDir(dir).resolve("10-berth.conflist")));
    }

    @Test
    void turnsReadyWhenANetworkConfigIsInstalledAfterStart() throws Exception {
        assumeDebianPlugins();
        BerthConfig config = withCni(false, DEBIAN_PLUGINS);
        try (Daemon daemon = Daemon.start(config); CriChannels client = new CriChannels(config.grpc().socket())) {
            assertEquals("NoNetworkConfig", networkReadyOf(client).getReason());

            // as an admin or a network add-on would; the dir did not exist, so the change is seen at once
            Files.createDirectories(TestConfigs.confDir(dir));
            Files.writeString(TestConfigs.confDir(dir).resolve("10-lab.conflist"),
                    "{\"cniVersion\":\"1.0.0\",\"name\":\"lab\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"lab0\","
                            + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.99.0.0/24\"}]]}}]}");

            RuntimeCondition network = networkReadyOf(client);
            assertTrue(network.getStatus(), network.getReason() + ": " + network.getMessage());
        }
    }
}
