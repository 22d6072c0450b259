package dev.berth.image;

import java.time.Duration;

/** Time as the service sees it, injected so retries and the stall watchdog are fast in tests. */
interface Timing {
    Timing SYSTEM = new Timing() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d);
        }
    };

    long nanoTime();

    void sleep(Duration d) throws InterruptedException;
}
