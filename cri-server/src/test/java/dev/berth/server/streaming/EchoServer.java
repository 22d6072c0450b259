package dev.berth.server.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/** A loopback TCP server that echoes one connection, standing in for a pod's port. */
final class EchoServer implements AutoCloseable {

    private final ServerSocket socket;
    /** Counted down when the forwarded connection has ended (EOF or reset from the server side). */
    final CountDownLatch connectionEnded = new CountDownLatch(1);

    EchoServer() throws IOException {
        socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        try (Socket connection = socket.accept(); InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a reset ends the connection too
        } finally {
            connectionEnded.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
