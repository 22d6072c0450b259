package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerFilter;
import dev.berth.cri.api.v1.ContainerStats;
import dev.berth.cri.api.v1.ContainerStatsFilter;
import dev.berth.cri.api.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.api.v1.ListContainerStatsRequest;
import dev.berth.cri.api.v1.ListContainersRequest;
import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.ListPodSandboxResponse;
import dev.berth.cri.api.v1.ListPodSandboxStatsRequest;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxFilter;
import dev.berth.cri.api.v1.PodSandboxStats;
import dev.berth.cri.api.v1.PodSandboxStatsFilter;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.StreamContainerStatsRequest;
import dev.berth.cri.api.v1.StreamContainersRequest;
import dev.berth.cri.api.v1.StreamPodSandboxStatsRequest;
import dev.berth.cri.api.v1.StreamPodSandboxesRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Stream* RPCs of pods and containers against their List twins through the daemon's CRI
 * socket, on 500 pods: host-network pods (a pause process each, no CNI) are cheap enough. Each
 * pod carries a 24 KiB annotation, so ListPodSandbox needs a 12 MiB message (under kubelet's
 * 16 MiB) that the stream must cut into several bounded ones. Containers: 20 (created, not
 * started), as each needs a snapshot of its own.
 */
@Tag("root")
class ListStreamSocketTest {
    private static final int PODS = 500;
    private static final int CONTAINERS = 20;
    private static final int MAX_ITEMS = 1000;
    private static final int MAX_BYTES = 4 << 20;
    private static final String BIG = "x".repeat(24 * 1024);

    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]");

    @TempDir
    Path dir;
    private PodFixture pods;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        PodFixture.assumeCapable(IMAGES.registry());
        pods = new PodFixture(dir, IMAGES.registry());
    }

    /** Removes the pods in parallel, as they were made: PodFixture's one-by-one cleanup would double the test's time. */
    @AfterEach
    void cleanUp() throws Exception {
        if (pods == null) {
            return;
        }
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            for (String id : ids) {
                workers.submit(() -> pods.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
            }
        }
        pods.close(); // what is left: none, or what a failed removal left
    }

    private PodSandboxConfig hostNetworkPod(int i) {
        PodSandboxConfig pod = pods.pod("p" + i);
        return pod.toBuilder()
                .putLabels("half", String.valueOf(i % 2))
                .putAnnotations("big", BIG)
                .setLinux(pod.getLinux().toBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE).setIpc(NamespaceMode.NODE))))
                .build();
    }

    @Test
    void podAndContainerStreamsAnswerWhatTheirListTwinsAnswerInBoundedMessages() throws Exception {
        List<PodSandboxConfig> configs = new ArrayList<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < PODS; i++) {
                PodSandboxConfig config = hostNetworkPod(i);
                configs.add(config);
                runs.add(workers.submit(() -> pods.runPod(config)));
            }
            for (Future<String> run : runs) {
                ids.add(run.get());
            }
        }
        pods.pull(IMAGES.busybox());
        List<String> containerIds = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            ContainerConfig c = pods.container("c" + i, IMAGES.busybox(), "sleep", "1000").toBuilder().putAnnotations("big", BIG).build();
            containerIds.add(pods.create(ids.get(i), configs.get(i), c));
        }

        ListPodSandboxResponse listed = pods.runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance());
        assertEquals(PODS, listed.getItemsCount());
        assertTrue(listed.getSerializedSize() > 2 * MAX_BYTES, "the List answer is one message of " + listed.getSerializedSize() + " bytes");
        List<List<PodSandbox>> streamed = batches(pods.runtime.streamPodSandboxes(StreamPodSandboxesRequest.getDefaultInstance()),
                r -> r.getPodSandboxesList());
        assertEquals(listed.getItemsList(), flatten(streamed));
        assertTrue(streamed.size() >= 3, "cut into " + streamed.size() + " messages");

        PodSandboxFilter half = PodSandboxFilter.newBuilder().putLabelSelector("half", "1").build();
        List<PodSandbox> listedHalf = pods.runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(half).build()).getItemsList();
        assertEquals(PODS / 2, listedHalf.size());
        assertEquals(listedHalf, flatten(batches(pods.runtime.streamPodSandboxes(StreamPodSandboxesRequest.newBuilder().setFilter(half).build()),
                r -> r.getPodSandboxesList())));

        // Stats differ from call to call (CPU, timestamps): the same pods, in the same order, is what must match.
        List<PodSandboxStats> listedStats = pods.runtime.listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance()).getStatsList();
        List<List<PodSandboxStats>> streamedStats = batches(pods.runtime.streamPodSandboxStats(StreamPodSandboxStatsRequest.getDefaultInstance()),
                r -> r.getPodSandboxStatsList());
        assertEquals(PODS, listedStats.size());
        assertEquals(listedStats.stream().map(PodSandboxStats::getAttributes).toList(),
                flatten(streamedStats).stream().map(PodSandboxStats::getAttributes).toList());
        PodSandboxStatsFilter oneStats = PodSandboxStatsFilter.newBuilder().setId(ids.get(7)).build();
        assertEquals(List.of(ids.get(7)), flatten(batches(pods.runtime.streamPodSandboxStats(StreamPodSandboxStatsRequest.newBuilder()
                .setFilter(oneStats).build()), r -> r.getPodSandboxStatsList())).stream().map(s -> s.getAttributes().getId()).toList());

        List<dev.berth.cri.api.v1.Container> listedContainers = pods.runtime.listContainers(ListContainersRequest.getDefaultInstance())
                .getContainersList();
        assertEquals(CONTAINERS, listedContainers.size());
        assertEquals(listedContainers, flatten(batches(pods.runtime.streamContainers(StreamContainersRequest.getDefaultInstance()),
                r -> r.getContainersList())));
        ContainerFilter ofPod3 = ContainerFilter.newBuilder().setPodSandboxId(ids.get(3)).build();
        assertEquals(List.of(containerIds.get(3)), flatten(batches(pods.runtime.streamContainers(StreamContainersRequest.newBuilder()
                .setFilter(ofPod3).build()), r -> r.getContainersList())).stream().map(c -> c.getId()).toList());

        List<ContainerStats> listedContainerStats = pods.runtime.listContainerStats(ListContainerStatsRequest.getDefaultInstance())
                .getStatsList();
        assertEquals(CONTAINERS, listedContainerStats.size());
        assertEquals(listedContainerStats.stream().map(ContainerStats::getAttributes).toList(),
                flatten(batches(pods.runtime.streamContainerStats(StreamContainerStatsRequest.getDefaultInstance()), r -> r.getContainerStatsList()))
                        .stream().map(ContainerStats::getAttributes).toList());
        ContainerStatsFilter oneContainer = ContainerStatsFilter.newBuilder().setId(containerIds.get(5)).build();
        assertEquals(List.of(containerIds.get(5)), flatten(batches(pods.runtime.streamContainerStats(StreamContainerStatsRequest.newBuilder()
                .setFilter(oneContainer).build()), r -> r.getContainerStatsList())).stream().map(s -> s.getAttributes().getId()).toList());
    }

    /** Reads a whole stream, checking each message holds 1 to 1000 items in at most 4 MiB. */
    static <R extends Message, T> List<List<T>> batches(Iterator<R> responses, Function<R, List<T>> items) {
        List<List<T>> batches = new ArrayList<>();
        while (responses.hasNext()) {
            R response = responses.next();
            List<T> batch = items.apply(response);
            assertTrue(!batch.isEmpty() && batch.size() <= MAX_ITEMS, "message " + batches.size() + " holds " + batch.size() + " items");
            assertTrue(response.getSerializedSize() <= MAX_BYTES, "message " + batches.size() + " has " + response.getSerializedSize() + " bytes");
            batches.add(batch);
        }
        return batches;
    }

    static <T> List<T> flatten(List<List<T>> batches) {
        return batches.stream().flatMap(List::stream).toList();
    }
}
