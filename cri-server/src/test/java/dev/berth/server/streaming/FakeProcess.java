package dev.berth.server.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A RemoteProcess made of in-memory pipes; a script on a virtual thread plays the program. */
final class FakeProcess implements RemoteProcess {
    /** What the fake program does with its pipes; returns the exit code. */
    interface Script {
        int run(FakeProcess process) throws Exception;
    }

    final BlockingPipe stdinPipe = new BlockingPipe(4096);
    final BlockingPipe stdoutPipe = new BlockingPipe(4096);
    final BlockingPipe stderrPipe = new BlockingPipe(4096);
    final List<String> resizes = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger closeCalls = new AtomicInteger();
    private final CountDownLatch exited = new CountDownLatch(1);
    private final boolean hasStdin;
    private final boolean hasStdout;
    private final boolean hasStderr;
    private volatile int exitCode = -1;
    private InputStream stdoutOverride;

    FakeProcess(boolean stdin, boolean stdout, boolean stderr) {
        this.hasStdin = stdin;
        this.hasStdout = stdout;
        this.hasStderr = stderr;
    }

    /** Replaces stdout with {@code source} (e.g. an endless one). */
    FakeProcess withStdout(InputStream source) {
        stdoutOverride = source;
        return this;
    }

    FakeProcess start(Script script) {
        Thread.ofVirtual().start(() -> {
            int code = -1;
            try {
                code = script.run(this);
            } catch (Exception e) {
                code = -1;
            } finally {
                stdoutPipe.closeWrite();
                stderrPipe.closeWrite();
                exitCode = code;
                exited.countDown();
            }
        });
        return this;
    }

    /** The program's side of stdin. */
    InputStream programStdin() {
        return stdinPipe.in;
    }

    void print(String text) throws IOException {
        stdoutPipe.out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    void printErr(String text) throws IOException {
        stderrPipe.out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    boolean awaitClosed() throws InterruptedException {
        return closed.await(10, TimeUnit.SECONDS);
    }

    @Override
    public OutputStream stdin() {
        return hasStdin ? stdinPipe.out : null;
    }

    @Override
    public void closeStdin() {
        stdinPipe.closeWrite();
    }

    @Override
    public InputStream stdout() {
        if (!hasStdout) {
            return null;
        }
        return stdoutOverride != null ? stdoutOverride : stdoutPipe.in;
    }

    @Override
    public InputStream stderr() {
        return hasStderr ? stderrPipe.in : null;
    }

    @Override
    public void resize(int width, int height) {
        resizes.add(width + "x" + height);
    }

    @Override
    public int waitFor() throws InterruptedException {
        exited.await();
        return exitCode;
    }

    /** As an exec'd process killed: every pipe breaks, the script ends. */
    @Override
    public void close() {
        closeCalls.incrementAndGet();
        stdinPipe.breakPipe();
        stdoutPipe.breakPipe();
        stderrPipe.breakPipe();
        if (stdoutOverride != null) {
            try {
                stdoutOverride.close();
            } catch (IOException ignored) {
                // a test source
            }
        }
        closed.countDown();
        exited.countDown();
    }
}
