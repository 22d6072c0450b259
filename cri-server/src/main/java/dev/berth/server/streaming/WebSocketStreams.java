package dev.berth.server.streaming;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * STAND-IN until the WebSocket side of issue 8 lands: same two methods as the real class, but
 * every WebSocket upgrade is answered 400. Replace this file, keeping the signatures.
 */
public final class WebSocketStreams {
    private WebSocketStreams() {}

    /** Whether {@code request} asks to upgrade to WebSocket. */
    public static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    public static void serve(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest stream, RemoteCommands commands,
            PortDialer dialer, StreamLimits limits) {
        HttpReplies.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "WebSocket not supported yet");
    }
}
