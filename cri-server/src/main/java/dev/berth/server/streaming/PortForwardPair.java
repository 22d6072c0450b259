package dev.berth.server.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One forwarded connection: the client's data and error streams for one request id, and the
 * socket dialed to the port inside the pod. Bytes are spliced both ways on two virtual threads;
 * the pod closing its side ends the pair (FIN on both streams), the client closing its data
 * stream only half-closes the socket, as containerd does.
 */
final class PortForwardPair {
    private static final Logger LOG = Logger.getLogger(PortForwardPair.class.getName());
    private static final int CHUNK_BYTES = 16 * 1024;

    private final String requestId;
    private final String podSandboxId;
    // set on the event loop before the pair is forwarded
    private SpdyStream data;
    private SpdyStream error;
    private volatile SocketChannel socket;
    private volatile boolean closed;

    PortForwardPair(String requestId, String podSandboxId) {
        this.requestId = requestId;
        this.podSandboxId = podSandboxId;
    }

    String requestId() {
        return requestId;
    }

    /** The stream's {@code port} header, or -1 when it is missing or not a TCP port. */
    static int port(SpdyStream stream) {
        String port = stream.header(SpdyPortForwardSession.PORT);
        try {
            int value = port == null ? -1 : Integer.parseInt(port.strip());
            return value >= 1 && value <= 65535 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Adds the data or error stream; the problem as text when the pair already has one. */
    String add(SpdyStream stream, String type) {
        if (type.equals(SpdyPortForwardSession.DATA)) {
            if (data != null) {
                return "data stream already assigned";
            }
            data = stream;
        } else {
            if (error != null) {
                return "error stream already assigned";
            }
            error = stream;
            stream.discardInbound(); // the client only reads it
        }
        return null;
    }

    boolean complete() {
        return data != null && error != null;
    }

    /** Tells the client about a problem on the error stream, if the pair has one yet; off the event loop. */
    void report(String message) {
        SpdyStream errors = error;
        if (errors != null) {
            Pipes.start("berth-portforward-" + requestId + "-error", () -> write(errors, message));
        }
    }

    /** The pair did not complete in time: say so and drop its streams. */
    void expire() {
        SpdyStream errors = error;
        SpdyStream lone = data;
        Pipes.start("berth-portforward-" + requestId + "-expire", () -> {
            if (errors != null) {
                write(errors, "timed out waiting for the data and error streams of request " + requestId);
                errors.finish();
            }
            if (lone != null) {
                lone.reset();
            }
        });
    }

    /** Dials the port and splices until the pod's side ends or the client goes; on the calling (virtual) thread. */
    void forward(PortDialer dialer) throws InterruptedException {
        int port = port(data);
        SocketChannel dialed;
        try {
            dialed = dialer.dial(podSandboxId, port);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "port-forward to pod " + podSandboxId + " port " + port + " failed", e);
            write(error, "error forwarding port " + port + " to pod " + podSandboxId + ", uid : " + e.getMessage());
            data.discardInbound();
            data.finish();
            error.finish();
            return;
        }
        socket = dialed;
        if (closed) {
            Pipes.closeQuietly(dialed);
            return;
        }
        Thread toPod = Pipes.start("berth-portforward-" + requestId + "-in", () -> {
            try {
                copy(data.input(), dialed);
                dialed.shutdownOutput();
            } finally {
                data.discardInbound();
            }
        });
        try {
            copy(dialed, data.output());
        } catch (IOException e) {
            LOG.log(Level.FINE, "port-forward to pod " + podSandboxId + " port " + port + " ended", e);
        } finally {
            Pipes.closeQuietly(dialed);
            data.discardInbound(); // wakes the other thread if it waits for the client
            toPod.join();
            data.finish();
            error.finish();
        }
    }

    /** The connection is gone: closing the socket ends both threads. */
    void close() {
        closed = true;
        Pipes.closeQuietly(socket);
    }

    private static void write(SpdyStream stream, String message) {
        try {
            stream.output().write(message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot report a port-forward error", e);
        }
    }

    private static void copy(InputStream in, SocketChannel out) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    private static void copy(SocketChannel in, OutputStream out) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        int n;
        while ((n = in.read(buffer.clear())) >= 0) {
            if (n > 0) {
                out.write(chunk, 0, n);
            }
        }
    }
}
