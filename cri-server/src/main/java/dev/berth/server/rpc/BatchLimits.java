package dev.berth.server.rpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.List;

/**
 * How a Stream* RPC cuts its List twin's result into messages: in list order, every item in
 * exactly one message, at most {@code maxItems} items and {@code maxBytes} serialized bytes per
 * message. An item bigger than {@code maxBytes} by itself goes alone in a message: it cannot be
 * split, and the List twin would have had to carry it too.
 *
 * <p>The defaults: 4 MiB is gRPC's default limit on a received message (grpc-go and
 * grpc-java), so even a client that never raised it reads every batch, and it is a quarter of
 * the 16 MiB kubelet allows. 1000 items keep a batch of small items (a pod or a container is
 * 0.3 to 2 KiB) well under that, so the client decodes in steady steps and the sender looks at
 * flow control and cancellation every few hundred KiB. Sizing costs little: protobuf
 * memoizes each item's size, and serializing the batch reuses it.
 */
record BatchLimits(int maxItems, int maxBytes) {
    static final BatchLimits DEFAULT = new BatchLimits(1000, 4 << 20);

    /** The widest protobuf field tag; the items' field number is the response's business, so assume the worst. */
    private static final int MAX_TAG_BYTES = 5;

    BatchLimits {
        if (maxItems < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + maxItems + " items, " + maxBytes + " bytes");
        }
    }

    /** The batches, as views of {@code items}. No items, no batches (each message holds at least one). */
    <T extends MessageLite> List<List<T>> split(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        int start = 0;
        long bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            long size = wireSize(items.get(i));
            if (i > start && (i - start == maxItems || bytes + size > maxBytes)) {
                batches.add(items.subList(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (start < items.size()) {
            batches.add(items.subList(start, items.size()));
        }
        return batches;
    }

    /** An upper bound of the bytes one item adds to a response: its field tag, its length prefix and itself. */
    static long wireSize(MessageLite item) {
        return MAX_TAG_BYTES + (long) CodedOutputStream.computeMessageSizeNoTag(item);
    }
}
