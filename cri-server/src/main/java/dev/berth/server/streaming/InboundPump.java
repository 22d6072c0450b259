package dev.berth.server.streaming;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs what the client sent (stdin writes, resizes, a pod socket's writes) in order on one virtual thread,
 * since the sinks block and the event loop must not. Steps offered before {@link #start()} wait for it, so
 * nothing is lost while the process starts or the pod is dialed.
 */
final class InboundPump {

    /** One blocking action on the sink. */
    interface Step {
        void run() throws IOException;
    }

    private record Item(int bytes, Step step) {}

    private static final Logger LOG = Logger.getLogger(InboundPump.class.getName());
    private static final Item STOP = new Item(0, () -> {});

    private final String name;
    private final int limitBytes;
    private final ReadThrottle throttle;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile Thread thread;

    InboundPump(String name, int limitBytes, ReadThrottle throttle) {
        this.name = name;
        this.limitBytes = limitBytes;
        this.throttle = throttle;
    }

    /** Queues a step carrying {@code bytes} of the client's data; pauses reading when too much waits. */
    void offer(int bytes, Step step) {
        if (stopped) {
            return;
        }
        queue.add(new Item(bytes, step));
        if (queuedBytes.addAndGet(bytes) > limitBytes && paused.compareAndSet(false, true)) {
            throttle.pause();
        }
    }

    void start() {
        if (!stopped) {
            thread = Thread.ofVirtual().name(name).start(this::drain);
        }
    }

    /** Drops what waits and ends the thread; a step blocked in its sink ends when the sink is closed. */
    void stop() {
        stopped = true;
        queue.clear();
        queue.add(STOP);
        release(queuedBytes.getAndSet(0));
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    private void drain() {
        try {
            for (Item item = queue.take(); item != STOP && !stopped; item = queue.take()) {
                try {
                    item.step().run();
                } catch (IOException e) {
                    // kubelet's copy stops at the first error too; later steps fail fast or are dropped by stop()
                    LOG.log(Level.FINE, name + ": " + e.getMessage(), e);
                }
                release(queuedBytes.addAndGet(-item.bytes()));
            }
        } catch (InterruptedException e) {
            // stop()
        }
    }

    private void release(int stillQueued) {
        if (stillQueued <= limitBytes / 2 && paused.compareAndSet(true, false)) {
            throttle.resume();
        }
    }
}
