package dev.berth.server.observe;

import dev.berth.server.config.ListenAddress;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Serves a registry at {@code http://<address>/metrics}; JVM metrics are included. */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /** Starts the server, or returns null when the address's port is 0 (metrics off). */
    public static MetricsServer startIfEnabled(ListenAddress address, CollectorRegistry registry) throws IOException {
        if (address.disabled()) {
            return null;
        }
        new JvmCollectors().register(registry);
        HTTPServer server = new HTTPServer.Builder()
                .withInetSocketAddress(new InetSocketAddress(address.host(), address.port()))
                .withRegistry(registry)
                .withDaemonThreads(true)
                .build();
        return new MetricsServer(server);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
