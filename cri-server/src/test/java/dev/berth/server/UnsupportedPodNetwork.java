package dev.berth.server;

import dev.berth.cni.NetworkStatus;
import dev.berth.cni.PodCidrs;
import dev.berth.cni.PodNetwork;
import dev.berth.cni.PodNetworkRequest;
import dev.berth.cni.PodNetworkResult;
import java.util.Set;

/** A pod network for tests of one call: every call fails, so a test overrides the one it expects. */
public class UnsupportedPodNetwork implements PodNetwork {
    @Override
    public PodNetworkResult setUp(PodNetworkRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void tearDown(String podId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void check(String podId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void usePodCidrs(PodCidrs cidrs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public NetworkStatus status() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> gc(Set<String> livePodIds) {
        throw new UnsupportedOperationException();
    }
}
