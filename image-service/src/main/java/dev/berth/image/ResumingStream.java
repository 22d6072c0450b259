package dev.berth.image;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A blob body that survives cut connections: when a read fails it reopens the blob from the
 * byte it had reached (a Range request) and carries on, so the decompressor and tar reader
 * above never notice. Each byte read is reported to {@link Progress} for the stall watchdog.
 */
final class ResumingStream extends InputStream {
    /** Opens the blob from an offset. */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset) throws InterruptedException;
    }

    /** Told of every chunk; the watchdog's view of a pull. */
    @FunctionalInterface
    interface Progress {
        void advanced(long bytes);
    }

    private final Opener opener;
    private final Progress progress;
    private final int maxResumes;
    private final Duration backoff;
    private final Timing timing;
    private final PullListener listener;
    private final String what;
    private InputStream current;
    private long position;
    private int resumes;

    ResumingStream(Opener opener, Progress progress, ImageConfig config, Timing timing, PullListener listener, String what) {
        this.opener = opener;
        this.progress = progress;
        this.maxResumes = config.retries();
        this.backoff = config.retryBackoff();
        this.timing = timing;
        this.listener = listener;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            try {
                if (current == null) {
                    current = opener.open(position);
                }
                int n = current.read(b, off, len);
                if (n > 0) {
                    position += n;
                    progress.advanced(n);
                }
                return n;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted() || resumes >= maxResumes) {
                    throw e;
                }
                resumes++;
                closeCurrent();
                listener.retried(what, "connection cut at byte " + position + ": " + e.getMessage());
                try {
                    timing.sleep(backoff.multipliedBy(resumes));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while resuming " + what);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while opening " + what);
            }
        }
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // the connection is already broken
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeCurrent();
    }
}
