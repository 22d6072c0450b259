package dev.berth.image;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stall watchdog of one pull: layers report bytes as they arrive; {@link #check} (run
 * periodically by the service's scheduler) aborts the pull when no layer has made progress for
 * the stall timeout, interrupting the threads that read, and naming the image and the layers.
 */
final class PullWatch {
    private final String image;
    private final Timing timing;
    private final long stallNanos;
    private final AtomicLong lastProgress;
    private final Map<String, Thread> active = new ConcurrentHashMap<>();
    private volatile ImageException abort;

    PullWatch(String image, Timing timing, Duration stall) {
        this.image = image;
        this.timing = timing;
        this.stallNanos = stall.toNanos();
        this.lastProgress = new AtomicLong(timing.nanoTime());
    }

    /** The calling thread now reads {@code layer}. */
    void enter(String layer) {
        failIfAborted();
        lastProgress.set(timing.nanoTime());
        active.put(layer, Thread.currentThread());
    }

    void leave(String layer) {
        active.remove(layer);
    }

    void advanced(long bytes) {
        lastProgress.set(timing.nanoTime());
    }

    /** Aborts the pull if it stalled; returns false once the pull has been aborted. */
    boolean check() {
        if (abort != null) {
            return false;
        }
        long idle = timing.nanoTime() - lastProgress.get();
        if (active.isEmpty() || idle < stallNanos) {
            return true;
        }
        abort = new ImageException(ImageException.Kind.TIMEOUT, "pull of " + image + " made no progress for "
                + Duration.ofNanos(stallNanos).toMillis() + " ms while fetching layer(s) " + active.keySet()
                + " (image.stall_timeout)");
        active.values().forEach(Thread::interrupt);
        return false;
    }

    void failIfAborted() {
        ImageException a = abort;
        if (a != null) {
            throw new ImageException(a.kind(), a.getMessage());
        }
    }

    boolean aborted() {
        return abort != null;
    }
}
