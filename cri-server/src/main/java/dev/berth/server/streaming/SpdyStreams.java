package dev.berth.server.streaming;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SPDY/3.1 upgrade of a streaming request, as Kubernetes' httpstream does it: negotiate the
 * subprotocol from {@code X-Stream-Protocol-Version} (the client's first choice the server
 * knows), answer 101, and from then on speak SPDY frames: remote command
 * ({@code v4.channel.k8s.io} down to {@code channel.k8s.io}) or port-forward ({@code portforward.k8s.io}).
 */
final class SpdyStreams {
    static final String SPDY_3_1 = "SPDY/3.1";
    static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";
    static final String ACCEPTED_PROTOCOL_VERSIONS = "X-Accepted-Stream-Protocol-Versions";
    static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";

    private SpdyStreams() {}

    /** Whether {@code request} asks for SPDY/3.1 (kubelet checks both headers, case-insensitively). */
    static boolean isUpgrade(HttpRequest request) {
        String connection = request.headers().get(HttpHeaderNames.CONNECTION, "").toLowerCase(Locale.ROOT);
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "").toLowerCase(Locale.ROOT);
        return connection.contains("upgrade") && upgrade.contains(SPDY_3_1.toLowerCase(Locale.ROOT));
    }

    /** Answers {@code request} on the router's {@code ctx}, taking the connection over on success. */
    static void serve(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest stream, RemoteCommands commands,
            PortDialer dialer, StreamLimits limits) {
        List<String> offered = offeredProtocols(request);
        List<String> supported = stream instanceof StreamRequest.PortForward ? List.of(PORT_FORWARD_PROTOCOL) : RemoteCommandProtocol.NAMES;
        if (offered.isEmpty()) {
            HttpReplies.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "unable to upgrade: " + PROTOCOL_VERSION + " is required");
            return;
        }
        Optional<String> chosen = offered.stream().filter(supported::contains).findFirst();
        if (chosen.isEmpty()) {
            FullHttpResponse refusal = HttpReplies.text(HttpResponseStatus.FORBIDDEN, "unable to upgrade: unable to negotiate protocol: client supports "
                    + offered + ", server accepts " + supported);
            supported.forEach(name -> refusal.headers().add(ACCEPTED_PROTOCOL_VERSIONS, name));
            HttpReplies.sendAndClose(ctx, refusal);
            return;
        }
        if (!isUpgrade(request)) {
            HttpReplies.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "unable to upgrade: missing upgrade headers in request (Connection: Upgrade, Upgrade: "
                    + SPDY_3_1 + ")");
            return;
        }
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching.headers()
                .set(HttpHeaderNames.CONNECTION, "Upgrade") // kubelet's spelling
                .set(HttpHeaderNames.UPGRADE, SPDY_3_1)
                .set(PROTOCOL_VERSION, chosen.get());
        // Written through the HTTP encoder before it leaves the pipeline.
        ctx.writeAndFlush(switching);
        SpdyConnection.Listener session = switch (stream) {
            case StreamRequest.PortForward portForward -> new SpdyPortForwardSession(portForward, dialer);
            case StreamRequest.Exec exec -> new SpdyRemoteCommandSession(exec, RemoteCommandProtocol.named(chosen.get()), commands);
            case StreamRequest.Attach attach -> new SpdyRemoteCommandSession(attach, RemoteCommandProtocol.named(chosen.get()), commands);
        };
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(StreamingServer.HTTP, "spdy-frames", new SpdyFrameCodec(SpdyVersion.SPDY_3_1))
                .addAfter("spdy-frames", "spdy-connection", new SpdyConnection(session, limits));
        // Removing the HTTP decoder last hands any bytes it read past the request to the SPDY decoder.
        pipeline.remove(StreamingServer.ROUTER);
        pipeline.remove(StreamingServer.AGGREGATOR);
        pipeline.remove(StreamingServer.HTTP);
    }

    /** Every offered version, in the client's order, from one or more comma-separated headers. */
    private static List<String> offeredProtocols(HttpRequest request) {
        List<String> offered = new ArrayList<>();
        for (String header : request.headers().getAll(PROTOCOL_VERSION)) {
            for (String name : header.split(",")) {
                if (!name.isBlank()) {
                    offered.add(name.strip());
                }
            }
        }
        return offered;
    }
}
