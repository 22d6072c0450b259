package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.server.UnsupportedPodNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleNetworksTest {

    /** Records what gc was asked to keep. */
    private static final class RecordingNetwork extends UnsupportedPodNetwork {
        final List<Set<String>> kept = new ArrayList<>();

        @Override
        public Set<String> gc(Set<String> livePodIds) {
            kept.add(livePodIds);
            return Set.of("gone");
        }
    }

    @Test
    void podsWithAPinnedNamespaceAreKeptAndTheRestReleased(@TempDir Path dir) throws Exception {
        Path netns = Files.createDirectories(dir.resolve("netns"));
        Files.createFile(netns.resolve("pod-a"));
        Files.createFile(netns.resolve("pod-b"));
        RecordingNetwork network = new RecordingNetwork();
        assertEquals(Set.of("gone"), StaleNetworks.release(network, netns));
        assertEquals(List.of(Set.of("pod-a", "pod-b")), network.kept);
    }

    @Test
    void afterARebootNoPinExistsAndEverythingIsReleased(@TempDir Path dir) {
        RecordingNetwork network = new RecordingNetwork();
        StaleNetworks.release(network, dir.resolve("netns-missing"));
        assertEquals(List.of(Set.of()), network.kept);
    }
}
