package dev.berth.server.streaming;

import dev.berth.server.config.ListenAddress;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real streaming server on a loopback port, with fake processes and an echo server behind the dialer. */
final class ServerFixture implements AutoCloseable {
    /** A short stream-creation timeout keeps the timeout tests quick. */
    static final StreamLimits LIMITS = new StreamLimits(Duration.ofMinutes(1), Duration.ofSeconds(2), 64 * 1024);

    final TestClock clock = new TestClock();
    final StreamTokens tokens = new StreamTokens(clock);
    final FakeCommands commands = new FakeCommands(request -> new FakeProcess(true, true, true).start(p -> 0));
    final List<Integer> dialed = new CopyOnWriteArrayList<>();
    final SpdyEchoServer echo;
    final StreamingServer server;
    volatile PortDialer dialer;

    ServerFixture() throws IOException {
        this("127.0.0.1", Optional.empty());
    }

    ServerFixture(String host, Optional<SslContext> tls) throws IOException {
        this(host, tls, LIMITS);
    }

    ServerFixture(String host, Optional<SslContext> tls, StreamLimits limits) throws IOException {
        echo = new SpdyEchoServer();
        dialer = echo.dialer(dialed);
        server = StreamingServer.start(new StreamingServer.Settings(new ListenAddress(host, 0), tls, limits), tokens, commands,
                (podSandboxId, port) -> dialer.dial(podSandboxId, port));
    }

    int port() {
        return server.port();
    }

    /** The path of a new one-time URL for {@code request}. */
    String path(StreamRequest request) {
        return URI.create(server.issue(request)).getRawPath();
    }

    @Override
    public void close() throws IOException {
        server.close();
        echo.close();
    }
}
