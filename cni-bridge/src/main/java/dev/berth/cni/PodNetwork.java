package dev.berth.cni;

import java.util.Set;

/**
 * A pod's network: a network namespace pinned under the state dir, wired by the CNI plugins of
 * the node's network configuration.
 *
 * <p>Host-network pods never come here: the caller (pod-sandbox) simply does not call
 * {@link #setUp} or {@link #tearDown} for them, and they run in the daemon's own namespace.
 *
 * <p>Calls for different pods may run in parallel; calls for one pod are serialized, and
 * {@link #gc} runs alone (no ADD or DEL while it runs), as the CNI spec requires.
 */
public interface PodNetwork {
    /**
     * Creates the pod's network namespace (with {@code lo} up) and runs CNI ADD on it. On failure
     * everything made so far is undone (CNI DEL, namespace removed) and a {@link CniException}
     * says which plugin failed and why.
     */
    PodNetworkResult setUp(PodNetworkRequest request);

    /**
     * Runs CNI DEL for the pod (with the configuration and result cached by {@link #setUp}, so
     * it works after a restart and after the namespace is gone) and removes its namespace.
     * Idempotent: tearing down a pod that was never set up, or already torn down, succeeds.
     */
    void tearDown(String podId);

    /** Runs CNI CHECK for a set-up pod (a no-op when the config disables it or predates 0.4.0). */
    void check(String podId);

    /**
     * The node's pod CIDRs, from kubelet; {@link PodCidrs#NONE} changes nothing. Every later
     * {@link #setUp} hands them to plugins that declare the {@code ipRanges} capability (as
     * {@code runtimeConfig.ipRanges}, one range set per CIDR). When writing the default network
     * is on and its file is still as Berth wrote it, its IPAM ranges become these CIDRs. Pods
     * already set up keep their addresses.
     */
    void usePodCidrs(PodCidrs cidrs);

    /** Whether pods can be set up now: a usable network config and all of its plugins. Cheap; call often. */
    NetworkStatus status();

    /**
     * Cleans up after pods that no longer exist, typically once on start with the pods the daemon
     * knows: tears down every cached attachment and namespace pin whose pod id is not in
     * {@code livePodIds}, then runs CNI GC with the live attachments where the config's version
     * (1.1.0+) allows it. Returns the ids it tore down.
     */
    Set<String> gc(Set<String> livePodIds);
}
