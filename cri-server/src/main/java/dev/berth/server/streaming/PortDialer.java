package dev.berth.server.streaming;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Connects to {@code localhost:port} inside a pod's network namespace (IPv4, then IPv6), as
 * port-forward needs. The returned channel is blocking and connected; the caller closes it.
 */
public interface PortDialer {

    SocketChannel dial(String podSandboxId, int port) throws IOException;
}
