package dev.berth.server.daemon;

import dev.berth.server.config.BerthConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Configs that keep a test daemon inside a temp dir and off the host's real paths. */
final class TestConfigs {
    private TestConfigs() {}

    static BerthConfig inside(Path dir, boolean metrics) throws IOException {
        return BerthConfig.defaults()
                .withRoot(dir.resolve("root"))
                .withState(dir.resolve("state"))
                .withGrpc(new BerthConfig.Grpc(dir.resolve("state/berth.sock"), null))
                .withMetrics(new BerthConfig.Metrics("127.0.0.1:" + (metrics ? freePort() : 0)))
                .withCgroup(new BerthConfig.Cgroup("cgroupfs"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
