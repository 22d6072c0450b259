package dev.berth.server.daemon;

import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ListenAddress;
import dev.berth.server.streaming.StreamLimits;
import dev.berth.server.streaming.StreamingServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import java.util.Optional;

/** Maps the {@code [streaming]} config keys onto {@link StreamingServer.Settings}, loading the TLS files. */
final class StreamingConfigs {
    private StreamingConfigs() {}

    static StreamingServer.Settings from(BerthConfig.Streaming streaming) throws DaemonStartException {
        ListenAddress address;
        try {
            address = ListenAddress.parse(streaming.address());
        } catch (ConfigException e) {
            throw new DaemonStartException("streaming.address " + e.getMessage(), e);
        }
        StreamLimits limits = new StreamLimits(Duration.ofSeconds(streaming.idleTimeoutSeconds()),
                Duration.ofSeconds(streaming.streamCreationTimeoutSeconds()), StreamLimits.DEFAULTS.bufferBytes());
        return new StreamingServer.Settings(address, tls(streaming), limits);
    }

    private static Optional<SslContext> tls(BerthConfig.Streaming streaming) throws DaemonStartException {
        if (!streaming.tls()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SslContextBuilder.forServer(streaming.tlsCertFile().toFile(), streaming.tlsKeyFile().toFile()).build());
        } catch (Exception e) { // SSLException, or IllegalArgumentException for an unreadable file
            throw new DaemonStartException("cannot load the streaming TLS certificate " + streaming.tlsCertFile() + " and key "
                    + streaming.tlsKeyFile() + " (PEM, key unencrypted PKCS#8): " + e.getMessage(), e);
        }
    }
}
