package dev.berth.cni;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A set-up pod network.
 *
 * @param ips the pod's addresses from the CNI result, IPv4 before IPv6 (the first is the primary IP)
 * @param netnsPath the pinned network namespace, for the pod's containers to join
 */
public record PodNetworkResult(List<InetAddress> ips, Path netnsPath) {
    public PodNetworkResult {
        ips = List.copyOf(ips);
    }
}
