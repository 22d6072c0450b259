package dev.berth.server.streaming;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The WebSocket subprotocols of Kubernetes' channel framing and what sets them apart on the wire
 * (kubelet's remotecommand/websocket.go and portforward/websocket.go, apimachinery's wsstream, client-go's v5).
 */
enum ChannelProtocol {
    /** v4 plus the close signal: a frame {@code [255, n]} half-closes channel n. */
    V5("v5.channel.k8s.io", false, true, true),
    /** The error channel carries a metav1.Status as JSON, exit code included. */
    V4("v4.channel.k8s.io", false, true, false),
    V4_BASE64("v4.base64.channel.k8s.io", true, true, false),
    /** v1 to v3 differ only over SPDY; over WebSocket they frame and report like {@code channel.k8s.io}. */
    V3("v3.channel.k8s.io", false, false, false),
    V2("v2.channel.k8s.io", false, false, false),
    V1("channel.k8s.io", false, false, false),
    V1_BASE64("base64.channel.k8s.io", true, false, false),
    /** The client offered no subprotocol: kubelet answers without one and frames like {@code channel.k8s.io}. */
    NONE("", false, false, false);

    /** What exec and attach accept. */
    static final List<ChannelProtocol> REMOTE_COMMAND = List.of(V5, V4, V4_BASE64, V3, V2, V1, V1_BASE64, NONE);

    /** What port-forward accepts; kubelet serves {@code portforward.k8s.io} over SPDY only. */
    static final List<ChannelProtocol> PORT_FORWARD = List.of(V4, V4_BASE64, NONE);

    final String wireName;
    /** Text frames: a channel digit then base64, instead of a channel byte then raw bytes. */
    final boolean base64;
    /** The error channel ends with a metav1.Status JSON, success included; older ones send only a failure's message. */
    final boolean statusJson;
    final boolean closeSignal;

    ChannelProtocol(String wireName, boolean base64, boolean statusJson, boolean closeSignal) {
        this.wireName = wireName;
        this.base64 = base64;
        this.statusJson = statusJson;
        this.closeSignal = closeSignal;
    }

    /** The subprotocols a handshake offers, in the client's order of preference. */
    static List<String> offered(HttpHeaders headers) {
        List<String> offered = new ArrayList<>();
        for (String header : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String name : header.split(",")) {
                if (!name.isBlank()) {
                    offered.add(name.trim());
                }
            }
        }
        return offered;
    }

    /**
     * The first offered subprotocol that is supported (the client's preference wins, as in wsstream's
     * handshake), {@link #NONE} when nothing was offered, or empty when nothing offered is supported.
     */
    static Optional<ChannelProtocol> negotiate(List<String> offered, List<ChannelProtocol> supported) {
        if (offered.isEmpty()) {
            return supported.contains(NONE) ? Optional.of(NONE) : Optional.empty();
        }
        for (String name : offered) {
            for (ChannelProtocol protocol : supported) {
                if (protocol != NONE && protocol.wireName.equals(name)) {
                    return Optional.of(protocol);
                }
            }
        }
        return Optional.empty();
    }

    /** The names of {@code protocols} as a refusal lists them. */
    static List<String> names(List<ChannelProtocol> protocols) {
        return protocols.stream().filter(p -> p != NONE).map(p -> p.wireName).toList();
    }
}
