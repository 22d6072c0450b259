package dev.berth.server.streaming;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One port of a port-forward session: dials it in the pod, copies the pod's bytes to the data channel on
 * this port's thread and the client's bytes to the pod through an inbound pump, and reports a failure as
 * text on the error channel. The port is done when the pod closes the connection or reading it fails
 * (a failed write to the pod is logged; the reset it comes from ends the read too).
 */
final class ForwardedPort {

    private static final Logger LOG = Logger.getLogger(ForwardedPort.class.getName());

    private final String podSandboxId;
    private final int port;
    private final int dataChannel;
    private final PortDialer dialer;
    private final FrameWriter writer;
    private final InboundPump toPod;
    private final String name;
    private volatile SocketChannel socket;
    private boolean closed;

    ForwardedPort(String podSandboxId, int port, int dataChannel, PortDialer dialer, FrameWriter writer, ReadThrottle throttle,
            int bufferBytes) {
        this.podSandboxId = podSandboxId;
        this.port = port;
        this.dataChannel = dataChannel;
        this.dialer = dialer;
        this.writer = writer;
        this.name = "berth-ws portforward " + podSandboxId + ":" + port;
        this.toPod = new InboundPump(name + " to pod", bufferBytes, throttle);
    }

    /** Dials and copies on a virtual thread; {@code onDone} runs when the port is done. */
    void start(Runnable onDone) {
        Thread.ofVirtual().name(name).start(() -> {
            try {
                run();
            } finally {
                close();
                onDone.run();
            }
        });
    }

    private void run() {
        SocketChannel dialed;
        try {
            dialed = dialer.dial(podSandboxId, port);
        } catch (IOException | RuntimeException e) {
            report(e);
            return;
        }
        if (!adopt(dialed)) {
            closeQuietly(dialed);
            return;
        }
        toPod.start();
        OutboundPump.copy(name, Channels.newInputStream(dialed), dataChannel, writer, this::report);
    }

    void fromClient(byte[] data) {
        if (data.length > 0) {
            toPod.offer(data.length, () -> {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                }
            });
        }
    }

    /** kubelet's message (its pod name is our sandbox id; CRI runtimes get no uid). */
    private void report(Exception e) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        String cause = e.getMessage() != null ? e.getMessage() : e.toString();
        byte[] message = ("error forwarding port " + port + " to pod " + podSandboxId + ", uid : " + cause).getBytes(StandardCharsets.UTF_8);
        writer.sendNow(dataChannel + 1, message, 0, message.length);
    }

    private synchronized boolean adopt(SocketChannel dialed) {
        if (closed) {
            return false;
        }
        socket = dialed;
        return true;
    }

    /** Ends both copies: closing the socket unblocks this port's read and the pump's write. */
    void close() {
        SocketChannel open;
        synchronized (this) {
            closed = true;
            open = socket;
        }
        toPod.stop();
        if (open != null) {
            closeQuietly(open);
        }
    }

    private void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, name + ": close failed", e);
        }
    }
}
