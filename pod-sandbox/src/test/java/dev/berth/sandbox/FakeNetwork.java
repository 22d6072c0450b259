package dev.berth.sandbox;

import dev.berth.cni.CniException;
import dev.berth.cni.NetworkStatus;
import dev.berth.cni.PodCidrs;
import dev.berth.cni.PodNetwork;
import dev.berth.cni.PodNetworkRequest;
import dev.berth.cni.PodNetworkResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A pod network that hands out 10.0.0.x and fd00::x and remembers which pods are set up. */
final class FakeNetwork implements PodNetwork {
    final Map<String, PodNetworkRequest> up = new ConcurrentHashMap<>();
    final List<String> tornDown = new ArrayList<>();
    boolean fail;
    private int next = 2;

    @Override
    public synchronized PodNetworkResult setUp(PodNetworkRequest request) {
        if (fail) {
            throw new CniException("bridge", CniException.RUNTIME_ERROR, "plugin bridge not found in [/nowhere]");
        }
        up.put(request.podId(), request);
        int n = next++;
        try {
            return new PodNetworkResult(List.of(InetAddress.getByName("10.0.0." + n), InetAddress.getByName("fd00::" + n)),
                    Path.of("/run/netns-fake/" + request.podId()));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public synchronized void tearDown(String podId) {
        tornDown.add(podId);
        up.remove(podId);
    }

    @Override
    public void check(String podId) {}

    @Override
    public void usePodCidrs(PodCidrs cidrs) {}

    @Override
    public NetworkStatus status() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> gc(Set<String> livePodIds) {
        return Set.of();
    }
}
