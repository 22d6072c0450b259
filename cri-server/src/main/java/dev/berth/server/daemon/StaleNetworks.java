package dev.berth.server.daemon;

import dev.berth.cni.PodNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * CNI GC on start. Until pod records exist (pod-sandbox), a pod counts as live while its
 * network namespace is still pinned: pins live on tmpfs, so after a reboot every cached
 * attachment is released (IPs, iptables rules), while a daemon restart keeps them all.
 */
final class StaleNetworks {
    private static final Logger LOG = Logger.getLogger(StaleNetworks.class.getName());

    private StaleNetworks() {}

    static Set<String> release(PodNetwork network, Path netnsDir) {
        Set<String> pinned = new HashSet<>();
        if (Files.isDirectory(netnsDir)) {
            try (Stream<Path> pins = Files.list(netnsDir)) {
                pins.forEach(pin -> pinned.add(pin.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + netnsDir, e);
            }
        }
        Set<String> released = network.gc(pinned);
        if (!released.isEmpty()) {
            LOG.info(() -> "released the networks of " + released.size() + " pods that no longer exist: " + released);
        }
        return released;
    }
}
