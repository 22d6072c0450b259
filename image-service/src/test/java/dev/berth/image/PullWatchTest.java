package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall watchdog with a fake clock: exact, no sleeping. */
class PullWatchTest {
    private final AtomicLong now = new AtomicLong();
    private final Timing clock = new Timing() {
        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleep(Duration d) {
            now.addAndGet(d.toNanos());
        }
    };

    @Test
    void abortsOnlyAfterTheStallTimeoutWithoutProgress() {
        PullWatch watch = new PullWatch("docker.io/library/busybox:latest", clock, Duration.ofSeconds(10));
        watch.enter("sha256:layer1");
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertTrue(watch.check());
        watch.advanced(100);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertTrue(watch.check(), "progress reset the timer");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        Thread.interrupted();
        assertFalse(watch.check());
        assertTrue(Thread.interrupted(), "the reading thread is interrupted");
        ImageException e = assertThrows(ImageException.class, watch::failIfAborted);
        assertEquals(ImageException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("busybox") && e.getMessage().contains("sha256:layer1"), e.getMessage());
    }

    @Test
    void idleBetweenLayersIsNotAStall() {
        PullWatch watch = new PullWatch("img", clock, Duration.ofSeconds(1));
        watch.enter("l1");
        watch.leave("l1");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertTrue(watch.check());
    }
}
