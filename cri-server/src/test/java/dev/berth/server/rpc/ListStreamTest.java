package dev.berth.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StreamPodSandboxesRequest;
import dev.berth.cri.api.v1.StreamPodSandboxesResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch sender over grpc-java's in-process transport (which, like Netty, reports a stream
 * ready only while the client has asked for messages), and against a fake call for cancellation.
 */
class ListStreamTest {
    private static final BatchLimits LIMITS = new BatchLimits(64, 16 * 1024);
    private static final List<PodSandbox> PODS = BatchLimitsTest.pods(500);

    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger built = new AtomicInteger();
    private volatile List<PodSandbox> items = PODS;
    private Server server;
    private ManagedChannel channel;

    private StreamPodSandboxesResponse wrap(List<PodSandbox> batch) {
        built.incrementAndGet();
        return StreamPodSandboxesResponse.newBuilder().addAllPodSandboxes(batch).build();
    }

    @BeforeEach
    void start() throws Exception {
        RuntimeServiceGrpc.RuntimeServiceImplBase service = new RuntimeServiceGrpc.RuntimeServiceImplBase() {
            @Override
            public void streamPodSandboxes(StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> responses) {
                ListStream.send(items, responses, ListStreamTest.this::wrap, LIMITS);
            }
        };
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(handlers).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        handlers.shutdownNow();
    }

    @Test
    void clientReceivesEveryItemOnceInBoundedMessages() {
        List<PodSandbox> received = new ArrayList<>();
        int messages = 0;
        var responses = RuntimeServiceGrpc.newBlockingStub(channel).streamPodSandboxes(StreamPodSandboxesRequest.getDefaultInstance());
        while (responses.hasNext()) {
            StreamPodSandboxesResponse response = responses.next();
            messages++;
            assertTrue(response.getPodSandboxesCount() >= 1 && response.getPodSandboxesCount() <= LIMITS.maxItems(),
                    "items in message " + messages + ": " + response.getPodSandboxesCount());
            assertTrue(response.getSerializedSize() <= LIMITS.maxBytes(), "bytes of message " + messages + ": " + response.getSerializedSize());
            received.addAll(response.getPodSandboxesList());
        }
        assertEquals(PODS, received);
        assertEquals(LIMITS.split(PODS).size(), messages);
    }

    @Test
    void noItemsIsAStreamWithNoMessages() {
        items = List.of();
        var responses = RuntimeServiceGrpc.newBlockingStub(channel).streamPodSandboxes(StreamPodSandboxesRequest.getDefaultInstance());
        assertFalse(responses.hasNext());
        assertEquals(0, built.get());
    }

    @Test
    void buildsNoMoreMessagesThanTheClientAskedFor() throws Exception {
        LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
        RuntimeServiceGrpc.newStub(channel).streamPodSandboxes(StreamPodSandboxesRequest.getDefaultInstance(),
                new ClientResponseObserver<StreamPodSandboxesRequest, StreamPodSandboxesResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamPodSandboxesRequest> requests) {
                        call[0] = requests;
                        requests.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(StreamPodSandboxesResponse value) {
                        inbox.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        inbox.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        inbox.add("done");
                    }
                });
        int requested = 1;
        List<PodSandbox> received = new ArrayList<>();
        Object next;
        while ((next = inbox.poll(30, TimeUnit.SECONDS)) instanceof StreamPodSandboxesResponse response) {
            received.addAll(response.getPodSandboxesList());
            assertTrue(built.get() <= requested, built.get() + " messages built, " + requested + " asked for");
            call[0].request(1);
            requested++;
        }
        assertEquals("done", next);
        assertEquals(PODS, received);
    }

    @Test
    void stopsAtCancellationAndDropsTheRest() {
        FakeCall call = new FakeCall();
        call.ready = true;
        call.readyForOneMessage = true;

        ListStream.send(PODS, call, this::wrap, LIMITS);
        assertEquals(1, call.sent.size(), "one message, then the transport was full");

        call.cancelled = true;
        call.onCancel.run();
        call.ready = true;
        call.onReady.run();

        assertEquals(1, call.sent.size());
        assertEquals(1, built.get());
        assertFalse(call.completed, "a cancelled call is not completed");
    }

    @Test
    void resumesWhenTheTransportTurnsReadyAndCompletesOnce() {
        FakeCall call = new FakeCall();

        ListStream.send(PODS, call, this::wrap, LIMITS);
        assertEquals(0, built.get(), "nothing built while the transport is not ready");

        call.ready = true;
        call.onReady.run();
        call.onReady.run();

        List<PodSandbox> received = new ArrayList<>();
        call.sent.forEach(r -> received.addAll(r.getPodSandboxesList()));
        assertEquals(PODS, received);
        assertEquals(1, call.completions);
    }

    /** A call whose readiness and cancellation the test sets, and whose handlers it runs. */
    private static final class FakeCall extends ServerCallStreamObserver<StreamPodSandboxesResponse> {
        final List<StreamPodSandboxesResponse> sent = new ArrayList<>();
        boolean ready;
        boolean readyForOneMessage;
        boolean cancelled;
        boolean completed;
        int completions;
        Runnable onReady;
        Runnable onCancel;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void onNext(StreamPodSandboxesResponse value) {
            sent.add(value);
            if (readyForOneMessage) {
                ready = false;
            }
        }

        @Override
        public void onCompleted() {
            completed = true;
            completions++;
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError("unexpected onError", t);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void setCompression(String compression) {}

        @Override
        public void disableAutoInboundFlowControl() {}

        @Override
        public void request(int count) {}

        @Override
        public void setMessageCompression(boolean enable) {}
    }
}
