package dev.berth.server.streaming;

import dev.berth.runtime.AttachSession;
import dev.berth.runtime.ExecProcess;
import dev.berth.sandbox.ContainerService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link RemoteCommands} over the node's containers: exec through the runtime helper, attach through the container's shim. */
public final class PodRemoteCommands implements RemoteCommands {
    /** Attach output waiting for a slow client, per stream; the shim drops a reader that lags further. */
    static final int ATTACH_PIPE_BYTES = 64 * 1024;

    private final ContainerService containers;

    public PodRemoteCommands(ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public RemoteProcess exec(StreamRequest.Exec request) {
        ExecProcess exec = containers.startExec(request.containerId(), request.command(), request.tty());
        return new ExecRemoteProcess(exec, request);
    }

    @Override
    public RemoteProcess attach(StreamRequest.Attach request) throws IOException {
        boolean stdin = request.stdin() && containers.hasStdin(request.containerId());
        AttachSession session = containers.attach(request.containerId());
        return new AttachRemoteProcess(session, request, stdin, containers, request.containerId());
    }

    /** An exec'd program: its berth-shim child's pipes. Closing it stops the program (the shim kills and reaps it). */
    private record ExecRemoteProcess(ExecProcess exec, StreamRequest.Exec request) implements RemoteProcess {
        ExecRemoteProcess {
            if (!request.stdin()) {
                try {
                    exec.process().getOutputStream().close(); // the program reads EOF, not a stdin nobody feeds
                } catch (IOException ignored) {
                    // exited already
                }
            }
        }

        @Override
        public OutputStream stdin() {
            return request.stdin() ? exec.process().getOutputStream() : null;
        }

        @Override
        public void closeStdin() throws IOException {
            exec.process().getOutputStream().close();
        }

        @Override
        public InputStream stdout() {
            return request.stdout() ? exec.process().getInputStream() : null;
        }

        @Override
        public InputStream stderr() {
            return request.stderr() && !request.tty() ? exec.process().getErrorStream() : null;
        }

        @Override
        public void resize(int width, int height) throws IOException {
            exec.resize(width, height);
        }

        @Override
        public int waitFor() throws InterruptedException {
            return exec.process().waitFor();
        }

        @Override
        public void close() {
            Process p = exec.process();
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: berth-shim kills and reaps the program
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * An attach: one virtual thread reads the shim's output chunks and splits them into a stdout
     * and a stderr pipe of bounded size (a full pipe blocks the reader, which makes the shim drop
     * this slow client rather than grow memory).
     */
    private static final class AttachRemoteProcess implements RemoteProcess {
        private final AttachSession session;
        private final boolean stdin;
        private final PipedInputStream stdout = new PipedInputStream(ATTACH_PIPE_BYTES);
        private final PipedInputStream stderr = new PipedInputStream(ATTACH_PIPE_BYTES);
        private final ContainerService containers;
        private final String containerId;
        private final StreamRequest.Attach request;

        AttachRemoteProcess(AttachSession session, StreamRequest.Attach request, boolean stdin, ContainerService containers,
                String containerId) throws IOException {
            this.session = session;
            this.request = request;
            this.stdin = stdin;
            this.containers = containers;
            this.containerId = containerId;
            PipedOutputStream out = new PipedOutputStream(stdout);
            PipedOutputStream err = new PipedOutputStream(stderr);
            Thread.ofVirtual().name("berth-attach-" + containerId).start(() -> pump(out, err));
        }

        private void pump(PipedOutputStream out, PipedOutputStream err) {
            try (out; err) {
                for (AttachSession.Output chunk; (chunk = session.read()) != null; ) {
                    (chunk.stderr() && !request.tty() ? err : out).write(chunk.data());
                }
            } catch (IOException e) {
                // the client went away (pipe closed) or the shim did: either ends the session
            }
        }

        @Override
        public OutputStream stdin() {
            if (!stdin) {
                return null;
            }
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    byte[] data = new byte[len];
                    System.arraycopy(b, off, data, 0, len);
                    session.writeStdin(data);
                }
            };
        }

        @Override
        public void closeStdin() throws IOException {
            if (stdin) {
                session.closeStdin();
            }
        }

        @Override
        public InputStream stdout() {
            return request.stdout() ? stdout : null;
        }

        @Override
        public InputStream stderr() {
            return request.stderr() && !request.tty() ? stderr : null;
        }

        @Override
        public void resize(int width, int height) throws IOException {
            session.resize(width, height);
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return containers.exitCode(containerId).get();
            } catch (ExecutionException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            session.close();
            stdout.close();
            stderr.close();
        }
    }
}
