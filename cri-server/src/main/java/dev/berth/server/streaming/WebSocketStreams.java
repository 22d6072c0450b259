package dev.berth.server.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Exec, attach and port-forward over WebSocket, speaking Kubernetes' channel protocols as kubelet's
 * streaming server does (DESIGN §6). The streaming server's HTTP router hands upgrade requests here.
 */
public final class WebSocketStreams {

    /** The streaming server's request handler, which leaves the pipeline once the connection is a WebSocket. */
    static final String ROUTER = StreamingServer.ROUTER;
    /** kubectl sends stdin in 32 KiB chunks; a larger single frame is refused (close 1009). */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    /** gorilla/websocket clients split a message into write-buffer-sized frames, so messages are reassembled up to this. */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    /** How long a finished session waits for the client's close (the API server's finishTimeout). */
    static final Duration FINISH_GRACE = Duration.ofMinutes(15);

    private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .expectMaskedFrames(true)
            .allowExtensions(false)
            .closeOnProtocolViolation(true)
            .build();

    private WebSocketStreams() {}

    /** Whether the request asks for a WebSocket upgrade (Connection: Upgrade + Upgrade: websocket), as wsstream decides it. */
    public static boolean isUpgrade(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE, ""))) {
            return false;
        }
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Completes the WebSocket handshake for {@code request} on this channel (choosing a subprotocol from
     * Sec-WebSocket-Protocol) and serves the stream until it ends. The caller's HTTP handlers stay in the
     * pipeline before this call; this method reconfigures the pipeline as it needs (adds the WebSocket frame
     * handlers, removes the streaming server's router handler if present). Refuses with 400 and a
     * message when no offered subprotocol is supported.
     *
     * <p>Call it on the channel's event loop (from {@code channelRead}); it returns at once, the session
     * runs on. {@code request} stays the caller's to release.
     */
    public static void serve(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest stream, RemoteCommands commands,
            PortDialer dialer, StreamLimits limits) {
        List<ChannelProtocol> supported = stream instanceof StreamRequest.PortForward
                ? ChannelProtocol.PORT_FORWARD
                : ChannelProtocol.REMOTE_COMMAND;
        List<String> offered = ChannelProtocol.offered(request.headers());
        Optional<ChannelProtocol> negotiated = ChannelProtocol.negotiate(offered, supported);
        if (negotiated.isEmpty()) {
            refuse(ctx, "requested protocol(s) are not supported: " + goList(offered) + "; supports "
                    + goList(ChannelProtocol.names(supported)));
            return;
        }
        ChannelProtocol protocol = negotiated.get();
        List<Integer> ports;
        try {
            ports = stream instanceof StreamRequest.PortForward portForward
                    ? ForwardPorts.resolve(request.uri(), portForward.ports())
                    : List.of();
        } catch (IllegalArgumentException e) {
            refuse(ctx, e.getMessage());
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                webSocketUrl(request), protocol == ChannelProtocol.NONE ? null : protocol.wireName, DECODER).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelFrames frames = new ChannelFrames(protocol.base64);
        IdleTimeout idle = new IdleTimeout(ctx.channel(), limits.idleTimeout(), System::nanoTime);
        FrameWriter writer = new FrameWriter(ctx.channel(), frames, idle);
        SessionHandler handler = new SessionHandler(frames, writer, idle);
        Duration grace = limits.idleTimeout().compareTo(FINISH_GRACE) < 0 ? limits.idleTimeout() : FINISH_GRACE;
        Runnable finish = () -> handler.finish(grace);
        ReadThrottle throttle = new ReadThrottle(ctx.channel());
        handler.bind(switch (stream) {
            case StreamRequest.PortForward portForward -> new PortForwardSession(
                    portForward.podSandboxId(), ports, dialer, writer, throttle, limits.bufferBytes(), finish);
            case StreamRequest.Exec exec -> new RemoteCommandSession(exec, commands, protocol, writer, throttle, limits.bufferBytes(), finish);
            case StreamRequest.Attach attach -> new RemoteCommandSession(attach, commands, protocol, writer, throttle, limits.bufferBytes(), finish);
        });
        upgrade(ctx, request, handshaker, handler, idle, limits);
    }

    /** Answers the handshake, swaps the caller's router for the session's handlers, and starts the session. */
    private static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketServerHandshaker handshaker,
            SessionHandler handler, IdleTimeout idle, StreamLimits limits) {
        Channel channel = ctx.channel();
        ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(channel, request);
        } catch (WebSocketHandshakeException e) {
            refuse(ctx, e.getMessage());
            return;
        }
        // per connection: Netty's outbound buffer is what a slow client can make the server hold
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(limits.bufferBytes() / 2, limits.bufferBytes()));
        // added at once, on the event loop, so no frame can reach the router in between
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addAfter(ctx.name(), "berth-ws-messages", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        pipeline.addAfter("berth-ws-messages", "berth-ws-session", handler);
        if (pipeline.get(ROUTER) != null) {
            pipeline.remove(ROUTER);
        }
        handshake.addListener(done -> {
            if (done.isSuccess()) {
                idle.start(handler::closeNow);
                handler.startSession();
            } else {
                channel.close();
            }
        });
    }

    /** Only draft-00 handshakes put this in the response; kubelet's clients speak RFC 6455. */
    private static String webSocketUrl(FullHttpRequest request) {
        return "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
    }

    private static void refuse(ChannelHandlerContext ctx, String message) {
        ByteBuf body = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Go's %v of a []string, as wsstream's refusal prints the lists. */
    private static String goList(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }
}
