package dev.berth.server.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Starts {@link FakeProcess}es whose stdio are OS pipes the test drives, or fails as told. */
final class FakeRemoteCommands implements RemoteCommands {

    private final BlockingQueue<FakeProcess> started = new LinkedBlockingQueue<>();
    private volatile Exception failure;

    void failWith(Exception e) {
        failure = e;
    }

    /** The next process the server started. */
    FakeProcess next(Duration timeout) throws InterruptedException {
        FakeProcess process = started.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (process == null) {
            throw new AssertionError("no process was started within " + timeout);
        }
        return process;
    }

    boolean noneStarted() {
        return started.isEmpty();
    }

    @Override
    public RemoteProcess exec(StreamRequest.Exec request) throws Exception {
        return start(request.stdin(), request.stdout(), request.stderr() && !request.tty());
    }

    @Override
    public RemoteProcess attach(StreamRequest.Attach request) throws Exception {
        return start(request.stdin(), request.stdout(), request.stderr() && !request.tty());
    }

    private RemoteProcess start(boolean stdin, boolean stdout, boolean stderr) throws Exception {
        if (failure != null) {
            throw failure;
        }
        FakeProcess process = new FakeProcess(stdin, stdout, stderr);
        started.add(process);
        return process;
    }

    /** A process the test plays: it writes the process's output, reads its stdin and decides its exit. */
    static final class FakeProcess implements RemoteProcess {
        private final Pipe stdin = Pipe.open();
        private final Pipe stdout = Pipe.open();
        private final Pipe stderr = Pipe.open();
        private final boolean hasStdin;
        private final boolean hasStdout;
        private final boolean hasStderr;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final CountDownLatch stdinClosed = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final BlockingQueue<List<Integer>> resizes = new LinkedBlockingQueue<>();

        FakeProcess(boolean hasStdin, boolean hasStdout, boolean hasStderr) throws IOException {
            this.hasStdin = hasStdin;
            this.hasStdout = hasStdout;
            this.hasStderr = hasStderr;
        }

        /** What the client's stdin delivered. */
        InputStream stdinReader() {
            return Channels.newInputStream(stdin.source());
        }

        OutputStream stdoutWriter() {
            return Channels.newOutputStream(stdout.sink());
        }

        OutputStream stderrWriter() {
            return Channels.newOutputStream(stderr.sink());
        }

        /** The process ends: its output pipes close, then it exits with {@code code}. */
        void exit(int code) throws IOException {
            stdout.sink().close();
            stderr.sink().close();
            exit.complete(code);
        }

        @Override
        public OutputStream stdin() {
            return hasStdin ? Channels.newOutputStream(stdin.sink()) : null;
        }

        @Override
        public void closeStdin() throws IOException {
            stdin.sink().close();
            stdinClosed.countDown();
        }

        @Override
        public InputStream stdout() {
            return hasStdout ? Channels.newInputStream(stdout.source()) : null;
        }

        @Override
        public InputStream stderr() {
            return hasStderr ? Channels.newInputStream(stderr.source()) : null;
        }

        @Override
        public void resize(int width, int height) {
            resizes.add(List.of(width, height));
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Kills the process: every pipe end the server holds closes. */
        @Override
        public void close() throws IOException {
            exit.complete(-1);
            stdin.sink().close();
            stdout.source().close();
            stderr.source().close();
            closed.countDown();
        }
    }
}
