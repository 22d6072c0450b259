package dev.berth.server.streaming;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An exec or attach over SPDY (kubelet's remotecommand server). The client opens one stream per
 * channel, named by its {@code streamType} header: error always, stdin, stdout and stderr as the
 * request asked (no stderr with a tty), resize for a tty from v3 on. Once all are open (within
 * the stream-creation timeout, else the connection is closed) the process starts; each stream
 * gets one virtual thread copying its bytes, and one more runs the session:
 *
 * <pre>
 *   streams open ──> process started ──> exit + stdout/stderr drained ──> status on the error stream ──> FIN all, GOAWAY
 *        │                  │
 *        └── timeout ──> close       client gone at any point ──> process closed (exec killed, attach detached)
 * </pre>
 */
final class SpdyRemoteCommandSession implements SpdyConnection.Listener {
    private static final Logger LOG = Logger.getLogger(SpdyRemoteCommandSession.class.getName());
    private static final AtomicLong SESSIONS = new AtomicLong();
    static final String STREAM_TYPE = "streamtype";
    static final String ERROR = "error";
    static final String STDIN = "stdin";
    static final String STDOUT = "stdout";
    static final String STDERR = "stderr";
    static final String RESIZE = "resize";

    /** Starts what the session drives; exec and attach differ only here and in their failure wording. */
    private interface Opener {
        RemoteProcess open() throws Exception;
    }

    private final String name;
    private final Opener opener;
    private final String failurePrefix;
    private final List<String> command;
    private final RemoteCommandProtocol protocol;
    private final Set<String> expected = new LinkedHashSet<>();
    // event loop only, until the session starts; read-only after
    private final Map<String, SpdyStream> streams = new HashMap<>();
    private boolean started;
    private SpdyConnection connection;
    private ScheduledFuture<?> deadline;
    private volatile boolean closed;
    private volatile RemoteProcess process;

    SpdyRemoteCommandSession(StreamRequest.Exec exec, RemoteCommandProtocol protocol, RemoteCommands commands) {
        this("exec-" + exec.containerId(), () -> commands.exec(exec), "error executing command in container: ", exec.command(),
                protocol, exec.tty(), exec.stdin(), exec.stdout(), exec.stderr());
    }

    SpdyRemoteCommandSession(StreamRequest.Attach attach, RemoteCommandProtocol protocol, RemoteCommands commands) {
        this("attach-" + attach.containerId(), () -> commands.attach(attach), "error attaching to container: ", null,
                protocol, attach.tty(), attach.stdin(), attach.stdout(), attach.stderr());
    }

    private SpdyRemoteCommandSession(String what, Opener opener, String failurePrefix, List<String> command, RemoteCommandProtocol protocol,
            boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        this.name = "berth-" + what + "-" + SESSIONS.incrementAndGet();
        this.opener = opener;
        this.failurePrefix = failurePrefix;
        this.command = command;
        this.protocol = protocol;
        expected.add(ERROR);
        if (stdin) {
            expected.add(STDIN);
        }
        if (stdout) {
            expected.add(STDOUT);
        }
        if (stderr && !tty) {
            expected.add(STDERR);
        }
        if (tty && protocol.resizes()) {
            expected.add(RESIZE);
        }
    }

    @Override
    public void opened(SpdyConnection connection) {
        this.connection = connection;
        deadline = connection.schedule(() -> {
            if (!started) {
                LOG.fine(() -> name + ": timed out waiting for the client to create streams " + expected + "; closing");
                connection.close();
            }
        }, connection.limits().streamCreationTimeout());
    }

    /** Every stream is accepted, as kubelet does; one this session has no use for is drained and ignored. */
    @Override
    public boolean streamOpened(SpdyStream stream) {
        String type = stream.header(STREAM_TYPE);
        if (started || type == null || !expected.contains(type) || streams.containsKey(type)) {
            stream.discardInbound();
            return true;
        }
        streams.put(type, stream);
        if (!type.equals(STDIN) && !type.equals(RESIZE)) {
            stream.discardInbound();
        }
        if (streams.size() == expected.size()) {
            started = true;
            deadline.cancel(false);
            Pipes.start(name, this::run);
        }
        return true;
    }

    @Override
    public void closed() {
        closed = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        RemoteProcess running = process;
        if (running != null) {
            Pipes.start(name + "-close", () -> end(running));
        }
    }

    private void run() throws InterruptedException {
        RemoteProcess opened;
        try {
            opened = opener.open();
        } catch (Exception e) {
            LOG.log(Level.FINE, name + ": cannot start", e);
            report(RemoteStatus.internalError(failurePrefix + e.getMessage()));
            return;
        }
        process = opened;
        if (closed) { // the client left while the process started
            end(opened);
            return;
        }
        try {
            report(drive(opened));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + " failed", e);
            report(RemoteStatus.internalError(failurePrefix + e.getMessage()));
        } catch (InterruptedException e) {
            connection.close(); // the daemon is stopping
            throw e;
        } finally {
            end(opened);
        }
    }

    /** Pumps every stream until the process has exited and its output is drained. */
    private RemoteStatus drive(RemoteProcess running) throws InterruptedException {
        SpdyStream stdin = streams.get(STDIN);
        if (stdin != null && running.stdin() != null) {
            Pipes.start(name + "-stdin", () -> {
                try {
                    Pipes.copy(stdin.input(), running.stdin());
                    running.closeStdin();
                } finally {
                    stdin.discardInbound();
                }
            });
        } else if (stdin != null) {
            stdin.discardInbound();
        }
        SpdyStream resize = streams.get(RESIZE);
        if (resize != null) {
            Pipes.start(name + "-resize", () -> {
                try {
                    TerminalSizes.forEach(resize.input(), running::resize);
                } finally {
                    resize.discardInbound();
                }
            });
        }
        List<Thread> outputs = new ArrayList<>();
        outputs.add(pump(running.stdout(), streams.get(STDOUT), "-stdout"));
        outputs.add(pump(running.stderr(), streams.get(STDERR), "-stderr"));
        int exitCode = running.waitFor();
        for (Thread output : outputs) {
            if (output != null) {
                output.join();
            }
        }
        if (command != null && exitCode != 0) {
            return RemoteStatus.exitCode(command, exitCode);
        }
        return RemoteStatus.success(); // kubelet reports no exit code for attach
    }

    private Thread pump(InputStream source, SpdyStream target, String suffix) {
        if (target == null) {
            return null;
        }
        if (source == null) {
            target.finish();
            return null;
        }
        return Pipes.start(name + suffix, () -> {
            try {
                Pipes.copy(source, target.output());
            } finally {
                target.finish();
            }
        });
    }

    /** Writes how the session ended, closes every stream and then the connection. */
    private void report(RemoteStatus status) {
        byte[] bytes = protocol.errorStreamBytes(status);
        SpdyStream error = streams.get(ERROR);
        try {
            if (bytes.length > 0) {
                error.output().write(bytes);
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, name + ": cannot write the status", e);
        }
        streams.values().forEach(SpdyStream::finish);
        connection.finish();
    }

    /** Closes the process (idempotent), which also ends the copy threads blocked on its pipes. */
    private void end(RemoteProcess running) {
        Pipes.closeQuietly(running);
    }
}
