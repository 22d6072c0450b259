package dev.berth.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.StreamPodSandboxesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {

    /** Pods of different sizes: {@code i}'s annotation holds {@code i % 37 * 100} bytes. */
    static List<PodSandbox> pods(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> PodSandbox.newBuilder().setId(String.format("%064x", i)).putAnnotations("a", "x".repeat(i % 37 * 100)).build())
                .toList();
    }

    private static int responseBytes(List<PodSandbox> batch) {
        return StreamPodSandboxesResponse.newBuilder().addAllPodSandboxes(batch).build().getSerializedSize();
    }

    private static List<PodSandbox> concat(List<List<PodSandbox>> batches) {
        List<PodSandbox> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }

    @Test
    void manySmallItemsAreCutByCount() {
        List<PodSandbox> items = IntStream.range(0, 500).mapToObj(i -> PodSandbox.newBuilder().setId("p" + i).build()).toList();

        List<List<PodSandbox>> batches = new BatchLimits(64, 4 << 20).split(items);

        assertEquals(List.of(64, 64, 64, 64, 64, 64, 64, 52), batches.stream().map(List::size).toList());
        assertEquals(items, concat(batches));
    }

    @Test
    void largeItemsAreCutBySizeAndEachBatchIsFilledAsFarAsTheLimitAllows() {
        List<PodSandbox> items = pods(500);
        int maxBytes = 16 * 1024;

        List<List<PodSandbox>> batches = new BatchLimits(1000, maxBytes).split(items);

        assertEquals(items, concat(batches), "every item once, in order");
        assertTrue(batches.size() > 50, "about 900 KiB in 16 KiB batches: " + batches.size());
        for (int b = 0; b < batches.size(); b++) {
            List<PodSandbox> batch = batches.get(b);
            assertTrue(responseBytes(batch) <= maxBytes, "batch " + b + " holds " + responseBytes(batch) + " bytes");
            if (b + 1 < batches.size()) {
                long batchBytes = batch.stream().mapToLong(BatchLimits::wireSize).sum();
                assertTrue(batchBytes + BatchLimits.wireSize(batches.get(b + 1).getFirst()) > maxBytes,
                        "batch " + b + " was cut although the next item fitted");
            }
        }
    }

    @Test
    void theDefaultLimitsHoldFourMebibytesAndAThousandItems() {
        assertEquals(new BatchLimits(1000, 4 * 1024 * 1024), BatchLimits.DEFAULT);
    }

    @Test
    void anItemLargerThanTheLimitGoesAloneAndTheOthersAroundIt() {
        PodSandbox small = PodSandbox.newBuilder().setId("small").build();
        PodSandbox huge = PodSandbox.newBuilder().setId("huge").putAnnotations("a", "x".repeat(5000)).build();
        List<PodSandbox> items = List.of(small, small, huge, small);

        List<List<PodSandbox>> batches = new BatchLimits(10, 1000).split(items);

        assertEquals(List.of(List.of(small, small), List.of(huge), List.of(small)), batches);
    }

    @Test
    void noItemsMakeNoBatches() {
        assertEquals(List.of(), BatchLimits.DEFAULT.split(List.<PodSandbox>of()));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BatchLimits(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new BatchLimits(10, 0));
    }
}
