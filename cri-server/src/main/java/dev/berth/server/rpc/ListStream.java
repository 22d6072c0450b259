package dev.berth.server.rpc;

import com.google.protobuf.MessageLite;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Sends a List RPC's result as its Stream twin (StreamPodSandboxes for ListPodSandbox, and so
 * on): the same items, cut by {@link BatchLimits}, one response per batch, then EOF. A List
 * adapter and its Stream twin call the same query; only the wrapping differs:
 *
 * <pre>
 *   ListStream.send(query(request.getFilter()), responses,
 *           batch -&gt; StreamXResponse.newBuilder().addAllX(batch).build());
 * </pre>
 *
 * <p>A response is built and sent only while gRPC says the transport is ready, so a slow
 * reader holds the rest back here as items, not as encoded messages in Netty's buffers; the
 * on-ready callback resumes it. A cancelled call (the client went away or its deadline passed)
 * stops at the next batch and drops the rest. Errors of the query itself happen before
 * anything is sent and reach the client as a status, as for the List RPC.
 */
final class ListStream<T extends MessageLite, R> {
    private final ServerCallStreamObserver<R> call;
    private final Function<List<T>, R> wrap;
    private Iterator<List<T>> batches;
    private boolean done;

    private ListStream(ServerCallStreamObserver<R> call, Iterator<List<T>> batches, Function<List<T>, R> wrap) {
        this.call = call;
        this.batches = batches;
        this.wrap = wrap;
    }

    /** Sends {@code items} in batches of the default limits; returns at once if the client is not reading yet. */
    static <T extends MessageLite, R> void send(List<T> items, StreamObserver<R> responses, Function<List<T>, R> wrap) {
        send(items, responses, wrap, BatchLimits.DEFAULT);
    }

    static <T extends MessageLite, R> void send(List<T> items, StreamObserver<R> responses, Function<List<T>, R> wrap,
            BatchLimits limits) {
        ServerCallStreamObserver<R> call = (ServerCallStreamObserver<R>) responses;
        ListStream<T, R> stream = new ListStream<>(call, limits.split(items).iterator(), wrap);
        // Both handlers must be set before this returns. With a cancel handler set, gRPC also
        // ignores (rather than throws at) an onNext that races a cancellation.
        call.setOnCancelHandler(stream::cancel);
        call.setOnReadyHandler(stream::drain);
        stream.drain();
    }

    /**
     * Sends what the transport takes now. gRPC runs the handlers one at a time already; the lock
     * keeps that true whatever thread calls back.
     */
    private synchronized void drain() {
        while (!done) {
            if (call.isCancelled()) {
                cancel();
            } else if (!batches.hasNext()) {
                done = true;
                call.onCompleted();
            } else if (!call.isReady()) {
                return; // the on-ready handler calls again once the client has read some
            } else {
                call.onNext(wrap.apply(batches.next()));
            }
        }
    }

    private synchronized void cancel() {
        done = true;
        batches = Collections.emptyIterator(); // the rest is garbage now
    }
}
