package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerEventResponse;
import dev.berth.cri.api.v1.ContainerEventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContainerEventsTest {
    private final ContainerEvents events = new ContainerEvents();

    @Test
    void subscriberGetsEventsInPublishOrder() {
        ContainerEvents.Subscription s = events.subscribe(16, () -> {});
        for (int i = 0; i < 10; i++) {
            events.publish(event("c" + i));
        }
        assertEquals(ids("c", 10), drain(s));
        assertNull(s.poll());
    }

    @Test
    void everySubscriberGetsEveryEvent() {
        List<ContainerEvents.Subscription> subs = List.of(
                events.subscribe(16, () -> {}), events.subscribe(16, () -> {}), events.subscribe(16, () -> {}));
        for (int i = 0; i < 5; i++) {
            events.publish(event("c" + i));
        }
        for (ContainerEvents.Subscription s : subs) {
            assertEquals(ids("c", 5), drain(s));
        }
    }

    @Test
    void signalsOncePerQueuedEvent() {
        AtomicInteger signals = new AtomicInteger();
        events.subscribe(16, signals::incrementAndGet);
        events.publish(event("a"));
        events.publish(event("b"));
        assertEquals(2, signals.get());
    }

    @Test
    void subscriberSeesOnlyEventsPublishedAfterItSubscribed() {
        events.publish(event("before"));
        ContainerEvents.Subscription s = events.subscribe(16, () -> {});
        events.publish(event("after"));
        assertEquals(List.of("after"), drain(s));
    }

    @Test
    void overflowDetachesOnlyTheSlowSubscriber() {
        AtomicInteger slowSignals = new AtomicInteger();
        ContainerEvents.Subscription slow = events.subscribe(2, slowSignals::incrementAndGet);
        ContainerEvents.Subscription fast = events.subscribe(100, () -> {});
        for (int i = 0; i < 3; i++) {
            events.publish(event("c" + i));
        }
        assertTrue(slow.overflowed());
        assertFalse(fast.overflowed());
        assertEquals(1, events.subscriberCount());
        assertEquals(3, slowSignals.get(), "the overflow itself is signalled so the sender can end the stream");
        assertNull(slow.poll(), "an overflowed subscriber gets nothing more; it must relist");
        assertEquals(ids("c", 3), drain(fast));
    }

    @Test
    void publishDoesNotWaitForAStuckSubscriber() {
        ContainerEvents.Subscription stuck = events.subscribe(4, () -> {});
        ContainerEvents.Subscription live = events.subscribe(200_000, () -> {});
        for (int i = 0; i < 100_000; i++) {
            events.publish(event("c" + i));
        }
        assertTrue(stuck.overflowed());
        assertEquals(100_000, drain(live).size());
    }

    @Test
    void closeUnsubscribes() {
        ContainerEvents.Subscription s = events.subscribe(16, () -> {});
        events.publish(event("a"));
        s.close();
        events.publish(event("b"));
        assertEquals(0, events.subscriberCount());
        assertNull(s.poll(), "close drops what was queued");
        assertFalse(s.overflowed());
        s.close();
        assertEquals(0, events.subscriberCount());
    }

    @Test
    void aFailingSignalDetachesItsSubscriberButNotThePublisher() {
        ContainerEvents.Subscription broken = events.subscribe(16, () -> {
            throw new IllegalStateException("executor shut down");
        });
        ContainerEvents.Subscription ok = events.subscribe(16, () -> {});
        events.publish(event("a"));
        events.publish(event("b"));
        assertEquals(1, events.subscriberCount());
        assertNull(broken.poll());
        assertEquals(List.of("a", "b"), drain(ok));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> events.subscribe(0, () -> {}));
    }

    @Test
    void concurrentPublishersKeepTheirOwnOrderAndAllSubscribersSeeOneOrder() throws Exception {
        int publishers = 8;
        int each = 2_000;
        ContainerEvents.Subscription a = events.subscribe(publishers * each, () -> {});
        ContainerEvents.Subscription b = events.subscribe(publishers * each, () -> {});
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(publishers)) {
            for (int p = 0; p < publishers; p++) {
                String prefix = "p" + p + "-";
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        events.publish(event(prefix + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        List<String> seenByA = drain(a);
        assertEquals(seenByA, drain(b));
        assertEquals(publishers * each, seenByA.size());
        Map<String, Integer> next = new HashMap<>();
        for (String id : seenByA) {
            String publisher = id.substring(0, id.indexOf('-'));
            int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
            assertEquals(next.getOrDefault(publisher, 0), n, "events of " + publisher + " out of order");
            next.put(publisher, n + 1);
        }
    }

    private static ContainerEventResponse event(String containerId) {
        return ContainerEventResponse.newBuilder()
                .setContainerId(containerId)
                .setContainerEventType(ContainerEventType.CONTAINER_CREATED_EVENT)
                .build();
    }

    private static List<String> drain(ContainerEvents.Subscription s) {
        List<String> ids = new ArrayList<>();
        for (ContainerEventResponse e = s.poll(); e != null; e = s.poll()) {
            ids.add(e.getContainerId());
        }
        return ids;
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }
}
