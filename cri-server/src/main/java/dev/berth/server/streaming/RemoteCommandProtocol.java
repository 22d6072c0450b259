package dev.berth.server.streaming;

import java.util.Arrays;
import java.util.List;

/**
 * The remote-command subprotocols over SPDY, newest first, as kubelet serves them. They differ
 * in two ways only: whether a tty session has a resize stream (v3 on), and what the error stream
 * carries at the end (v4: a metav1.Status as JSON, success included; older: the failure message
 * as text, nothing on success).
 */
enum RemoteCommandProtocol {
    V4("v4.channel.k8s.io", true, true),
    V3("v3.channel.k8s.io", true, false),
    V2("v2.channel.k8s.io", false, false),
    V1("channel.k8s.io", false, false);

    /** In the server's order of preference, as kubelet lists them in its 403 answer. */
    static final List<String> NAMES = Arrays.stream(values()).map(RemoteCommandProtocol::protocolName).toList();

    private final String protocolName;
    private final boolean resizes;
    private final boolean statusJson;

    RemoteCommandProtocol(String protocolName, boolean resizes, boolean statusJson) {
        this.protocolName = protocolName;
        this.resizes = resizes;
        this.statusJson = statusJson;
    }

    String protocolName() {
        return protocolName;
    }

    /** Whether a tty session has a resize stream. */
    boolean resizes() {
        return resizes;
    }

    static RemoteCommandProtocol named(String name) {
        for (RemoteCommandProtocol protocol : values()) {
            if (protocol.protocolName.equals(name)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("no remote-command protocol " + name);
    }

    /** What the error stream carries for {@code status}; empty for a success before v4. */
    byte[] errorStreamBytes(RemoteStatus status) {
        byte[] bytes = status.encode(statusJson);
        return bytes == null ? new byte[0] : bytes;
    }
}
