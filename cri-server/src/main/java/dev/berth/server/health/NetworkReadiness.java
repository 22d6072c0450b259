package dev.berth.server.health;

/**
 * NetworkReady until pod networking exists: Berth has no CNI client yet, so it says so
 * instead of pretending. The cni-bridge module replaces this check with one that looks for a
 * usable CNI config and its plugins.
 */
public final class NetworkReadiness implements ReadinessCheck {
    public static final String TYPE = "NetworkReady";

    @Override
    public Condition check() {
        return Condition.notReady(TYPE, "NetworkPluginNotReady",
                "this Berth build has no CNI support yet (the cni-bridge module is not built); only host-network pods could run");
    }
}
