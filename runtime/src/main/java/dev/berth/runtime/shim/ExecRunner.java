package dev.berth.runtime.shim;

import dev.berth.runtime.ExecResult;
import dev.berth.runtime.RuntimeFailureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code berth-shim exec} and turns its outcome into an {@link ExecResult}. */
final class ExecRunner {
    /** berth-shim's exit code when the runtime, not the program, failed; stderr then starts with PREFIX. */
    static final int SHIM_FAILED = 125;
    static final String PREFIX = "berth-shim: ";
    /** How long berth-shim gets to kill and reap a timed-out program before it is killed itself. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private ExecRunner() {}

    static ExecResult run(Process process, Duration timeout, int maxOutputBytes) {
        try {
            process.getOutputStream().close(); // ExecSync has no stdin
        } catch (IOException ignored) {
            // the process already exited
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream(), maxOutputBytes);
        CompletableFuture<byte[]> err = drain(process.getErrorStream(), maxOutputBytes);
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                // SIGTERM makes berth-shim SIGKILL the program and reap it (a zombie left in the
                // container would still show in its process list); SIGKILL only if the shim hangs.
                process.destroy();
                if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly(); // the program then dies by PR_SET_PDEATHSIG
                    process.waitFor();
                }
            }
            byte[] stderr = err.join();
            int code = process.exitValue();
            String text = new String(stderr, StandardCharsets.UTF_8);
            if (!timedOut && code == SHIM_FAILED && text.startsWith(PREFIX)) {
                throw new RuntimeFailureException(text.substring(PREFIX.length()).strip());
            }
            return new ExecResult(timedOut ? -1 : code, out.join(), stderr, timedOut);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while waiting for an exec");
        }
    }

    /** Reads a stream to its end, keeping at most {@code max} bytes (the rest is read and dropped). */
    static CompletableFuture<byte[]> drain(InputStream in, int max) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().name("berth-exec-drain").start(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    int room = max - kept.size();
                    if (room > 0) {
                        kept.write(buf, 0, Math.min(room, n));
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is the output
            }
            result.complete(kept.toByteArray());
        });
        return result;
    }
}
