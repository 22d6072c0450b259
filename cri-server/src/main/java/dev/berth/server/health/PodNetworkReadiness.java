package dev.berth.server.health;

import dev.berth.cni.NetworkStatus;
import java.util.function.Supplier;

/**
 * NetworkReady from the pod network's own status (a usable CNI config and all of its plugins).
 * Asked on every CRI Status call, so a config installed after start turns it ready.
 */
public final class PodNetworkReadiness implements ReadinessCheck {
    public static final String TYPE = "NetworkReady";

    private final Supplier<NetworkStatus> status;

    /** @param status usually {@code podNetwork::status} */
    public PodNetworkReadiness(Supplier<NetworkStatus> status) {
        this.status = status;
    }

    @Override
    public Condition check() {
        NetworkStatus s = status.get();
        // CRI wants reason and message only to explain a false condition.
        return s.ready() ? Condition.ready(TYPE) : Condition.notReady(TYPE, s.reason(), s.message());
    }
}
