package dev.berth.server.streaming;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One exec or attach over WebSocket, in kubelet's order: an empty message on the lowest output channel says
 * the connection is up, the process starts, stdin and resizes flow in and stdout and stderr out, and once the
 * process has exited and its output is drained the exit status goes on the error channel and the connection
 * closes.
 *
 * <p>Threads: one runs the session (start, wait, report), one per output stream copies it out, and one feeds
 * stdin and resizes in, all virtual.
 */
final class RemoteCommandSession implements SessionHandler.Session {

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    /** v5: {@code [255, n]} half-closes channel n. */
    static final int CLOSE = 255;

    private static final Logger LOG = Logger.getLogger(RemoteCommandSession.class.getName());
    private static final byte[] EMPTY = new byte[0];

    private final StreamRequest request;
    private final RemoteCommands commands;
    private final ChannelProtocol protocol;
    private final FrameWriter writer;
    private final InboundPump input;
    private final Runnable finish;
    private final String name;
    private final ResizeDecoder resizes = new ResizeDecoder();
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private volatile RemoteProcess process;
    private boolean closed;

    /**
     * @param request an {@link StreamRequest.Exec} or {@link StreamRequest.Attach}
     * @param finish sends the closing handshake once the status is out
     */
    RemoteCommandSession(StreamRequest request, RemoteCommands commands, ChannelProtocol protocol, FrameWriter writer,
            ReadThrottle throttle, int bufferBytes, Runnable finish) {
        this.request = request;
        this.commands = commands;
        this.protocol = protocol;
        this.writer = writer;
        this.finish = finish;
        switch (request) {
            case StreamRequest.Exec exec -> {
                stdin = exec.stdin();
                stdout = exec.stdout();
                // kubelet drops stderr with a tty: the terminal merges it into stdout
                stderr = exec.stderr() && !exec.tty();
                name = "berth-ws exec " + exec.containerId();
            }
            case StreamRequest.Attach attach -> {
                stdin = attach.stdin();
                stdout = attach.stdout();
                stderr = attach.stderr() && !attach.tty();
                name = "berth-ws attach " + attach.containerId();
            }
            case StreamRequest.PortForward portForward -> throw new IllegalArgumentException("not a remote command: " + portForward);
        }
        this.input = new InboundPump(name + " stdin", bufferBytes, throttle);
    }

    /** Announces the connection and starts the session thread. */
    @Override
    public void start() {
        writer.sendNow(stdout ? STDOUT : stderr ? STDERR : ERROR, EMPTY, 0, 0);
        Thread.ofVirtual().name(name).start(this::run);
    }

    private void run() {
        RemoteProcess started = null;
        try {
            started = open();
            if (started != null && adopt(started)) {
                int exitCode = copyUntilExit(started);
                if (!isClosed()) {
                    end(statusOf(exitCode));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            input.stop();
            if (started != null) {
                closeQuietly(started);
            }
        }
    }

    /** Starts the process, or reports why it did not start (kubelet's wording) and returns null. */
    private RemoteProcess open() {
        try {
            return request instanceof StreamRequest.Exec exec ? commands.exec(exec) : commands.attach((StreamRequest.Attach) request);
        } catch (Exception e) {
            LOG.log(Level.FINE, name + " did not start", e);
            String what = request instanceof StreamRequest.Exec ? "error executing command in container: " : "error attaching to container: ";
            end(RemoteStatus.internalError(what + (e.getMessage() != null ? e.getMessage() : e.toString())));
            return null;
        }
    }

    /** Copies stdio until the process has exited and its output is drained; returns the exit code. */
    private int copyUntilExit(RemoteProcess started) throws InterruptedException {
        List<Thread> outputs = new ArrayList<>();
        if (stdout && started.stdout() != null) {
            outputs.add(OutboundPump.start(name + " stdout", started.stdout(), STDOUT, writer, e -> {}));
        }
        if (stderr && started.stderr() != null) {
            outputs.add(OutboundPump.start(name + " stderr", started.stderr(), STDERR, writer, e -> {}));
        }
        input.start();
        int exitCode = started.waitFor();
        for (Thread output : outputs) {
            output.join();
        }
        return exitCode;
    }

    /** kubelet reports an attach as a success whatever the container's exit code. */
    private RemoteStatus statusOf(int exitCode) {
        if (request instanceof StreamRequest.Exec exec && exitCode != 0) {
            return RemoteStatus.exitCode(exec.command(), exitCode);
        }
        return RemoteStatus.success();
    }

    private void end(RemoteStatus status) {
        byte[] message = status.encode(protocol.statusJson);
        if (message != null) {
            writer.sendNow(ERROR, message, 0, message.length);
        }
        finish.run();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Keeps the started process unless the client has already gone. */
    private synchronized boolean adopt(RemoteProcess started) {
        if (closed) {
            return false;
        }
        process = started;
        return true;
    }

    @Override
    public void onMessage(int channel, byte[] data) {
        switch (channel) {
            case STDIN -> {
                if (stdin && data.length > 0) {
                    input.offer(data.length, () -> writeStdin(data));
                }
            }
            case RESIZE -> {
                for (ResizeDecoder.TerminalSize size : resizes.feed(data)) {
                    input.offer(0, () -> process.resize(size.width(), size.height()));
                }
            }
            case CLOSE -> {
                if (protocol.closeSignal && stdin && data.length == 1 && data[0] == STDIN) {
                    input.offer(0, () -> process.closeStdin());
                }
            }
            default -> { } // wsstream drops what arrives on write-only channels
        }
    }

    private void writeStdin(byte[] data) throws IOException {
        OutputStream in = process.stdin();
        if (in != null) {
            in.write(data);
            in.flush();
        }
    }

    /** The client is gone: end the process (an attach detaches), which ends the copies and the session thread. */
    @Override
    public synchronized void onClosed() {
        closed = true;
        input.stop();
        RemoteProcess running = process;
        if (running != null) {
            // closing may kill a process and wait for it: not on the event loop
            Thread.ofVirtual().name(name + " close").start(() -> closeQuietly(running));
        }
    }

    private void closeQuietly(RemoteProcess started) {
        try {
            started.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, name + ": closing the process failed", e);
        }
    }
}
