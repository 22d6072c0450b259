package dev.berth.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerEventResponse;
import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.cri.api.v1.GetEventsRequest;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.sandbox.ContainerEvents;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Over grpc-java's in-process transport, which (like Netty) reports a stream not ready until the client asks for more. */
class EventRpcsTest {
    private static final int CAPACITY = 4;

    private final ContainerEvents events = new ContainerEvents();
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        EventRpcs rpcs = new EventRpcs(events, CAPACITY, handlers);
        RuntimeServiceGrpc.RuntimeServiceImplBase service = new RuntimeServiceGrpc.RuntimeServiceImplBase() {
            @Override
            public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> responses) {
                rpcs.getContainerEvents(request, responses);
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
    void clientReceivesPublishedEventsInOrder() throws Exception {
        Client client = new Client(1000);
        awaitTrue(() -> events.subscriberCount() == 1);
        List<String> sent = new ArrayList<>();
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add("c" + i);
            events.publish(event("c" + i));
            if (sent.size() % CAPACITY == 0) { // publish no faster than the stream may fall behind
                while (received.size() < sent.size()) {
                    received.add(client.next().getContainerId());
                }
            }
        }
        assertEquals(sent, received);
    }

    @Test
    void eventsWaitForASlowClientAndArriveWhenItReads() throws Exception {
        Client client = new Client(1);
        awaitTrue(() -> events.subscriberCount() == 1);
        events.publish(event("a"));
        assertEquals("a", client.next().getContainerId());
        events.publish(event("b"));
        events.publish(event("c"));
        events.publish(event("d"));
        assertTrue(client.isEmptyFor(Duration.ofMillis(100)), "nothing is sent beyond what the client asked for");
        client.request(3);
        assertEquals(List.of("b", "c", "d"), List.of(
                client.next().getContainerId(), client.next().getContainerId(), client.next().getContainerId()));
    }

    @Test
    void aClientThatFallsBehindGetsResourceExhaustedAndIsUnsubscribed() throws Exception {
        Client client = new Client(1);
        awaitTrue(() -> events.subscriberCount() == 1);
        events.publish(event("a"));
        assertEquals("a", client.next().getContainerId());
        for (int i = 0; i <= CAPACITY; i++) {
            events.publish(event("late" + i));
        }
        Status status = client.error().get(10, TimeUnit.SECONDS);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
        assertEquals("event stream fell behind by more than 4 events; relist and subscribe again", status.getDescription());
        assertEquals(0, events.subscriberCount());
    }

    @Test
    void cancellingTheClientUnsubscribes() throws Exception {
        Client client = new Client(1);
        awaitTrue(() -> events.subscriberCount() == 1);
        client.cancel();
        awaitTrue(() -> events.subscriberCount() == 0);
        events.publish(event("after-cancel")); // nobody left to deliver to; must not throw
    }

    @Test
    void eachStreamIsItsOwnSubscriber() throws Exception {
        Client first = new Client(10);
        Client second = new Client(10);
        awaitTrue(() -> events.subscriberCount() == 2);
        events.publish(event("a"));
        assertEquals("a", first.next().getContainerId());
        assertEquals("a", second.next().getContainerId());
    }

    private static ContainerEventResponse event(String containerId) {
        return ContainerEventResponse.newBuilder()
                .setContainerId(containerId)
                .setContainerEventType(ContainerEventType.CONTAINER_STARTED_EVENT)
                .build();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10s");
            Thread.sleep(5);
        }
    }

    /** An async client that asks for messages itself, so the test plays a slow reader. */
    private final class Client implements ClientResponseObserver<GetEventsRequest, ContainerEventResponse> {
        private final int initialRequest;
        private final LinkedBlockingQueue<ContainerEventResponse> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Status> error = new CompletableFuture<>();
        private volatile ClientCallStreamObserver<GetEventsRequest> call;

        Client(int initialRequest) {
            this.initialRequest = initialRequest;
            RuntimeServiceGrpc.newStub(channel).getContainerEvents(GetEventsRequest.getDefaultInstance(), this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<GetEventsRequest> call) {
            this.call = call;
            call.disableAutoRequestWithInitial(initialRequest);
        }

        @Override
        public void onNext(ContainerEventResponse value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error.complete(assertInstanceOf(StatusRuntimeException.class, t).getStatus());
        }

        @Override
        public void onCompleted() {
            error.completeExceptionally(new AssertionError("the event stream never completes normally"));
        }

        ContainerEventResponse next() throws InterruptedException {
            ContainerEventResponse e = received.poll(10, TimeUnit.SECONDS);
            assertTrue(e != null, "no event within 10s");
            return e;
        }

        boolean isEmptyFor(Duration wait) throws InterruptedException {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
        }

        void request(int n) {
            call.request(n);
        }

        void cancel() {
            call.cancel("test is done", null);
        }

        CompletableFuture<Status> error() {
            return error;
        }
    }
}
