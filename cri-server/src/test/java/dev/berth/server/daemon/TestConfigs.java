package dev.berth.server.daemon;

import dev.berth.server.config.BerthConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/** Configs that keep a test daemon inside a temp dir and off the host's real paths. */
final class TestConfigs {
    private TestConfigs() {}

    /**
     * A daemon under {@code dir}. Its CNI config dir is {@code dir/cni/net.d} (empty, and nothing is
     * written there unless a test turns {@code write_default_config} on), so no test daemon ever
     * touches /etc/cni/net.d; plugins are looked up in the host's usual bin dirs, read only. The
     * image store is under the root dir, and registry host configs are read from
     * {@code dir/certs.d} (absent unless a test writes one), never from /etc/berth/certs.d.
     */
    static BerthConfig inside(Path dir, boolean metrics) throws IOException {
        return BerthConfig.defaults()
                .withRoot(dir.resolve("root"))
                .withState(dir.resolve("state"))
                .withGrpc(new BerthConfig.Grpc(dir.resolve("state/berth.sock"), null))
                .withMetrics(new BerthConfig.Metrics("127.0.0.1:" + (metrics ? freePort() : 0)))
                .withCgroup(new BerthConfig.Cgroup("cgroupfs"))
                .withCni(new BerthConfig.Cni(List.of(confDir(dir)), null, dir.resolve("cni/netns"), dir.resolve("cni/results"),
                        null, null, false, null))
                .withImage(BerthConfig.defaults().image().withConfigPath(certsDir(dir)))
                .withCheckpoint(new BerthConfig.Checkpoint(CRIU, null));
    }

    /** The CRIU test daemons use: {@code criu} on PATH, or the binary {@code BERTH_TEST_CRIU} names (a CRIU >= 4.1 built for the test). */
    static final String CRIU = System.getenv().getOrDefault("BERTH_TEST_CRIU", "criu");

    /** Where the daemon of {@link #inside} looks for its network config. */
    static Path confDir(Path dir) {
        return dir.resolve("cni/net.d");
    }

    /** Where the daemon of {@link #inside} looks for {@code <registry>/hosts.toml}. */
    static Path certsDir(Path dir) {
        return dir.resolve("certs.d");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
