package dev.berth.cni;

/**
 * Traffic limits for plugins with the {@code bandwidth} capability: rates in bits per second,
 * bursts in bits; 0 means "no limit" for that direction.
 */
public record BandwidthLimits(long ingressRate, long ingressBurst, long egressRate, long egressBurst) {
    public BandwidthLimits {
        if (ingressRate < 0 || ingressBurst < 0 || egressRate < 0 || egressBurst < 0) {
            throw new IllegalArgumentException("bandwidth limits must not be negative");
        }
    }
}
