package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerEventResponse;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The container event bus behind CRI GetContainerEvents: every subscriber gets every event
 * published after it subscribed, all subscribers in the same order.
 *
 * <p>Publishers are the lifecycle RPCs, so a subscriber must never slow them down: each one
 * has a bounded queue, and one that falls {@code capacity} events behind is detached and
 * marked overflowed rather than blocking the publisher or buffering without bound. Its stream
 * then ends with an error and kubelet relists, which is how it recovers from any stream error.
 *
 * <p>Subscribers are told about new events by a signal instead of being handed a blocking
 * {@code take()}: a gRPC sender also has to wait for the transport to be ready, and one drain
 * loop woken by both (see cri-server's EventRpcs) needs no thread parked per subscriber.
 */
public final class ContainerEvents {
    private static final System.Logger LOG = System.getLogger(ContainerEvents.class.getName());

    private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    /** Held only for the offers, never while waiting on a subscriber: gives all subscribers one order. */
    private final ReentrantLock publishing = new ReentrantLock();

    /** Hands the event to every subscriber; never waits for one. O(subscribers). */
    /**
     * Builds the event only when someone listens: an event carries statuses that cost runtime
     * reads, which a node without an evented-PLEG kubelet should not pay on every call.
     */
    public void publish(java.util.function.Supplier<ContainerEventResponse> event) {
        if (!subscribers.isEmpty()) {
            publish(event.get());
        }
    }

    public void publish(ContainerEventResponse event) {
        publishing.lock();
        try {
            for (Subscription s : subscribers) {
                s.offer(event);
            }
        } finally {
            publishing.unlock();
        }
    }

    /**
     * Subscribes to events published from now on.
     *
     * @param capacity how many events may wait for this subscriber before it is detached
     * @param signal run after each event is queued for this subscriber and once when it
     *     overflows; it runs on the publisher's thread, so it must only hand off (e.g. schedule
     *     a drain), never block or do the sending itself
     */
    public Subscription subscribe(int capacity, Runnable signal) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event queue capacity must be at least 1, was " + capacity);
        }
        Subscription s = new Subscription(capacity, signal);
        subscribers.add(s);
        return s;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** One subscriber's queue. {@link #poll()} is for one consumer at a time. */
    public final class Subscription implements AutoCloseable {
        private final ArrayBlockingQueue<ContainerEventResponse> queue;
        private final Runnable signal;
        private volatile boolean closed;
        private volatile boolean overflowed;

        private Subscription(int capacity, Runnable signal) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.signal = signal;
        }

        /** The next event, or null when none is waiting (or this subscription has overflowed). */
        public ContainerEventResponse poll() {
            return overflowed ? null : queue.poll();
        }

        /** True once this subscriber fell behind and was detached: it has missed events for good. */
        public boolean overflowed() {
            return overflowed;
        }

        /** Unsubscribes; idempotent. Events still queued are dropped. */
        @Override
        public void close() {
            closed = true;
            subscribers.remove(this);
            queue.clear();
        }

        private void offer(ContainerEventResponse event) {
            if (closed) {
                return; // closed while publish walked an older snapshot of the list
            }
            if (!queue.offer(event)) {
                overflowed = true;
                close();
            }
            try {
                signal.run();
            } catch (RuntimeException e) {
                // A broken subscriber must not fail the RPC that published.
                LOG.log(Level.WARNING, "container event subscriber failed; detaching it", e);
                close();
            }
        }
    }
}
