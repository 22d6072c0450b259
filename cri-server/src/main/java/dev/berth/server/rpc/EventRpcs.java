package dev.berth.server.rpc;

import dev.berth.cri.api.v1.ContainerEventResponse;
import dev.berth.cri.api.v1.GetEventsRequest;
import dev.berth.sandbox.ContainerEvents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CRI GetContainerEvents: kubelet's evented PLEG subscribes once and gets every container
 * and sandbox event from then on.
 *
 * <p>Each stream drains its subscription only while gRPC says the transport is ready, so a
 * slow client backs up into its bounded subscription queue, not into Netty's buffers; when
 * that queue overflows the stream ends with RESOURCE_EXHAUSTED and kubelet relists.
 */
public final class EventRpcs {
    static final int DEFAULT_CAPACITY = 1024;

    private final ContainerEvents events;
    private final int capacity;
    private final Executor drains;

    public EventRpcs(ContainerEvents events) {
        this(events, DEFAULT_CAPACITY, virtualThreads());
    }

    /** @param drains runs the drain loops; it must not run them on the caller's thread (the publisher's). */
    EventRpcs(ContainerEvents events, int capacity, Executor drains) {
        this.events = events;
        this.capacity = capacity;
        this.drains = drains;
    }

    void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> responses) {
        new Stream((ServerCallStreamObserver<ContainerEventResponse>) responses).start();
    }

    private static Executor virtualThreads() {
        ThreadFactory threads = Thread.ofVirtual().name("berth-events-", 0).factory();
        return task -> threads.newThread(task).start();
    }

    /**
     * One subscriber's stream. Events, readiness and overflow all just {@link #signal()}; a
     * single drain loop at a time does the sending, so onNext is never called concurrently and
     * no thread waits while there is nothing to send or the client is not reading.
     */
    private final class Stream {
        private final ServerCallStreamObserver<ContainerEventResponse> responses;
        /** Signals not yet seen by a drain; the drain that moves it off 0 owns the stream until back to 0. */
        private final AtomicInteger pending = new AtomicInteger(1); // held by start() until set up
        private ContainerEvents.Subscription subscription;
        private boolean ended;

        Stream(ServerCallStreamObserver<ContainerEventResponse> responses) {
            this.responses = responses;
        }

        void start() {
            // Subscribe first so nothing published after the call arrived is missed.
            subscription = events.subscribe(capacity, this::signal);
            responses.setOnCancelHandler(subscription::close);
            responses.setOnReadyHandler(this::signal);
            drain(); // with the token held since construction; runs again for signals that came meanwhile
        }

        private void signal() {
            if (pending.getAndIncrement() == 0) {
                drains.execute(this::drain);
            }
        }

        private void drain() {
            int seen = 1;
            do {
                sendWhatCanBeSent();
                if (ended) {
                    return; // keeps pending above 0, so later signals schedule nothing
                }
                seen = pending.addAndGet(-seen);
            } while (seen != 0);
        }

        private void sendWhatCanBeSent() {
            while (!responses.isCancelled()) {
                if (subscription.overflowed()) {
                    ended = true;
                    responses.onError(Status.RESOURCE_EXHAUSTED
                            .withDescription("event stream fell behind by more than " + capacity
                                    + " events; relist and subscribe again")
                            .asRuntimeException());
                    return;
                }
                if (!responses.isReady()) {
                    return; // the on-ready handler signals when the client has read some
                }
                ContainerEventResponse event = subscription.poll();
                if (event == null) {
                    return;
                }
                try {
                    responses.onNext(event);
                } catch (StatusRuntimeException cancelledMeanwhile) {
                    break;
                }
            }
            ended = true;
            subscription.close(); // the cancel handler does too; this covers a cancel before it was set
        }
    }
}
