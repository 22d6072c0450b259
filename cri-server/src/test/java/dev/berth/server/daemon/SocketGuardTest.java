package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.config.BerthConfig;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the daemon finds at its socket path when it starts. */
class SocketGuardTest {
    @TempDir
    Path dir;

    @Test
    void staleSocketLeftByADeadDaemonIsReplaced() throws Exception {
        BerthConfig config = TestConfigs.inside(dir, false);
        Files.createDirectories(config.state());
        // A bound socket whose server is gone: connect() is refused, as after a crash.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(config.grpc().socket()));
        }
        assertTrue(Files.exists(config.grpc().socket()));
        try (Daemon daemon = Daemon.start(config); CriChannels client = new CriChannels(config.grpc().socket())) {
            assertEquals("berth", RuntimeServiceGrpc.newBlockingStub(client.channel())
                    .version(VersionRequest.getDefaultInstance()).getRuntimeName());
        }
    }

    @Test
    void socketServedByAnotherLiveProcessIsLeftAlone() throws Exception {
        BerthConfig config = TestConfigs.inside(dir, false);
        Files.createDirectories(config.state());
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(config.grpc().socket()));
            DaemonStartException e = assertThrows(DaemonStartException.class, () -> Daemon.start(config));
            assertTrue(e.getMessage().contains("a live process is serving " + config.grpc().socket()), e.getMessage());
            assertTrue(Files.exists(config.grpc().socket()), "the live socket is not deleted");
        }
    }

    @Test
    void regularFileAtTheSocketPathIsNotDeleted() throws Exception {
        BerthConfig config = TestConfigs.inside(dir, false);
        Files.createDirectories(config.state());
        Files.writeString(config.grpc().socket(), "precious");
        DaemonStartException e = assertThrows(DaemonStartException.class, () -> Daemon.start(config));
        assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(config.grpc().socket()));
    }
}
