package dev.berth.cni;

/**
 * Whether the node's pod network can take pods (CRI NetworkReady).
 *
 * @param reason a short CamelCase cause when not ready ({@code NoNetworkConfig},
 *     {@code InvalidNetworkConfig}, {@code PluginMissing}, {@code PluginNotReady}), empty when ready
 * @param message what is wrong, naming the file or plugin, and what to do
 */
public record NetworkStatus(boolean ready, String reason, String message) {
    public static NetworkStatus ok(String message) {
        return new NetworkStatus(true, "", message);
    }

    public static NetworkStatus notReady(String reason, String message) {
        return new NetworkStatus(false, reason, message);
    }
}
