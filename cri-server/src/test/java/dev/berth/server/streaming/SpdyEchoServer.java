package dev.berth.server.streaming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP server that echoes each connection until the client half-closes, then closes it. */
final class SpdyEchoServer implements AutoCloseable {
    private final ServerSocketChannel server;
    final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();

    SpdyEchoServer() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** A dialer that connects every (sandbox, port) to this server, remembering the ports asked for. */
    PortDialer dialer(List<Integer> asked) {
        return (podSandboxId, port) -> {
            asked.add(port);
            return SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()));
        };
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel socket = server.accept();
                accepted.add(socket);
                Thread.ofVirtual().start(() -> echo(socket));
            }
        } catch (IOException closed) {
            // the server is closed
        }
    }

    private static void echo(SocketChannel socket) {
        try (socket) {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (socket.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                }
            }
        } catch (IOException ignored) {
            // the peer went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel socket : accepted) {
            socket.close();
        }
    }
}
