package dev.berth.server.streaming;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Byte copying on virtual threads, the one way streaming sessions move data. */
final class Pipes {
    private static final Logger LOG = Logger.getLogger(Pipes.class.getName());
    private static final int CHUNK_BYTES = 16 * 1024;

    private Pipes() {}

    /** A step that may fail with I/O; its failure only ends that step. */
    interface Step {
        void run() throws Exception;
    }

    /**
     * Copies until {@code in} ends, flushing each chunk: a keystroke on stdin must reach the
     * process now, not when a buffer fills.
     */
    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            if (n > 0) {
                out.write(chunk, 0, n);
                out.flush();
            }
        }
    }

    /** Runs {@code step} on a new virtual thread named {@code name}; a failure is logged, not thrown. */
    static Thread start(String name, Step step) {
        return Thread.ofVirtual().name(name).start(() -> {
            try {
                step.run();
            } catch (IOException e) {
                LOG.log(Level.FINE, name + " ended: " + e.getMessage(), e);
            } catch (Exception e) {
                LOG.log(Level.WARNING, name + " failed", e);
            }
        });
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing " + closeable + " failed", e);
        }
    }
}
