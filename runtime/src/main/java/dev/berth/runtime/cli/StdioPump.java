package dev.berth.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Connects an exec'd process ({@code berth-shim exec}) to our stdio until it exits: stdin
 * copied in (closed at its end), stdout and stderr copied out. The shim reports its own
 * failures with exit code 125 and a stderr starting with "berth-shim: " (see ExecRunner):
 * such a stderr is held back so the caller can report it as the runtime's failure.
 */
final class StdioPump {
    static final int SHIM_FAILED = 125;
    static final byte[] SHIM_PREFIX = "berth-shim: ".getBytes(StandardCharsets.US_ASCII);
    /** How long output may keep flowing once the process has exited (a background child may hold the pipes open). */
    private static final long DRAIN_MILLIS = 1000;

    /** @param shimFailure the shim's reason when it, not the program, failed; else null */
    record Outcome(int exitCode, String shimFailure) {}

    private StdioPump() {}

    static Outcome run(Process process, Io io) throws InterruptedException {
        // Platform daemon threads: reading a terminal blocks, and must not keep the JVM alive.
        daemon("berth-exec-stdin", () -> {
            try (OutputStream to = process.getOutputStream()) {
                io.in().transferTo(to);
            } catch (IOException e) {
                // the process stopped reading or exited
            }
        });
        Thread out = daemon("berth-exec-stdout", () -> copy(process.getInputStream(), io.out()));
        ErrCopy errCopy = new ErrCopy(process.getErrorStream(), io.err());
        Thread err = daemon("berth-exec-stderr", errCopy);
        // Ctrl-C or SIGTERM ends us: take the shim along (the program then gets SIGKILL from its parent-death signal).
        Thread hook = new Thread(process::destroy);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int code = process.waitFor();
            out.join(DRAIN_MILLIS);
            err.join(DRAIN_MILLIS);
            io.out().flush();
            if (code == SHIM_FAILED && errCopy.heldBack() != null) {
                return new Outcome(code, errCopy.heldBack().strip());
            }
            errCopy.release();
            io.err().flush();
            return new Outcome(code, null);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private static Thread daemon(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon().start(task);
    }

    private static void copy(InputStream from, OutputStream to) {
        try (from) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the process is gone; what was read was passed on
        }
    }

    /** Copies stderr through, unless it starts with the shim's prefix: then it is kept (a short message). */
    private static final class ErrCopy implements Runnable {
        private static final int MAX_HELD = 64 * 1024;
        private final InputStream from;
        private final OutputStream to;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private volatile boolean holding;

        ErrCopy(InputStream from, OutputStream to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            try {
                byte[] head = from.readNBytes(SHIM_PREFIX.length);
                if (Arrays.equals(head, SHIM_PREFIX)) {
                    holding = true;
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = from.read(buf)) >= 0) {
                        synchronized (held) {
                            held.write(buf, 0, Math.min(n, Math.max(0, MAX_HELD - held.size())));
                        }
                    }
                    return;
                }
                to.write(head);
                to.flush();
            } catch (IOException e) {
                return;
            }
            copy(from, to);
        }

        /** The shim's message when stderr started with its prefix, else null. */
        String heldBack() {
            if (!holding) {
                return null;
            }
            synchronized (held) {
                return held.toString(StandardCharsets.UTF_8);
            }
        }

        /** Passes a held-back stderr on after all: it was the program's, not the shim's. */
        void release() {
            String text = heldBack();
            if (text != null) {
                try {
                    to.write(SHIM_PREFIX);
                    to.write(text.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // nowhere to report it
                }
            }
        }
    }
}
