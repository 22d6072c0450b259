package dev.berth.server.streaming;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The first (and only) HTTP request of a streaming connection: {@code GET|POST /<kind>/<token>}.
 * The token is used up here whatever follows; an unknown, used or expired token, or one made for
 * another kind, is a 404 as in kubelet. A good one hands the connection to the SPDY or WebSocket
 * protocol, which replaces the HTTP handlers. Later messages pass through untouched.
 */
final class StreamRouter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(StreamRouter.class.getName());

    private final StreamTokens tokens;
    private final RemoteCommands commands;
    private final PortDialer dialer;
    private final StreamLimits limits;
    private ScheduledFuture<?> requestDeadline;
    private boolean routed;

    StreamRouter(StreamTokens tokens, RemoteCommands commands, PortDialer dialer, StreamLimits limits) {
        this.tokens = tokens;
        this.commands = commands;
        this.dialer = dialer;
        this.limits = limits;
    }

    /** A connection that never sends its request would otherwise hold a socket for the whole idle timeout. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        requestDeadline = ctx.executor().schedule(() -> {
            if (!routed) {
                ctx.close();
            }
        }, limits.streamCreationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (routed || !(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        routed = true;
        cancelDeadline();
        try {
            route(ctx, request);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            HttpReplies.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
            HttpReplies.sendAndClose(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed; use GET or POST");
            return;
        }
        Optional<StreamRequest> stream = consume(new QueryStringDecoder(request.uri()).path());
        if (stream.isEmpty()) {
            HttpReplies.sendAndClose(ctx, HttpResponseStatus.NOT_FOUND,
                    "no streaming session at " + request.uri() + ": unknown, already used or expired; ask the runtime for a new URL");
            return;
        }
        if (WebSocketStreams.isUpgrade(request)) {
            WebSocketStreams.serve(ctx, request, stream.get(), commands, dialer, limits);
        } else {
            SpdyStreams.serve(ctx, request, stream.get(), commands, dialer, limits);
        }
    }

    /** The request behind {@code /<kind>/<token>}, the token used up even when the kind does not match. */
    private Optional<StreamRequest> consume(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        Optional<StreamKind> kind = StreamKind.ofPath(parts[1]);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        return tokens.consume(parts[2]).filter(request -> StreamKind.of(request) == kind.get());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "streaming connection from " + ctx.channel().remoteAddress() + " failed", cause);
        ctx.close();
    }

    private void cancelDeadline() {
        if (requestDeadline != null) {
            requestDeadline.cancel(false);
        }
    }
}
