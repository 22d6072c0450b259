package dev.berth.server.streaming;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket end of a session, on the event loop: answers pings, runs the closing handshake, hands data
 * messages to the session and tells it when the client is gone.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    /** What a session hears from the connection. */
    interface Session {
        /** Starts the session once the handshake is done (event loop). */
        void start();

        /** A data message (event loop). */
        void onMessage(int channel, byte[] data);

        /** The connection closed, for whatever reason (event loop): release everything. */
        void onClosed();
    }

    private static final Logger LOG = Logger.getLogger(SessionHandler.class.getName());

    private final ChannelFrames frames;
    private final FrameWriter writer;
    private final IdleTimeout idle;
    private Session session;
    private ChannelHandlerContext ctx;
    private boolean closeSent;
    private ScheduledFuture<?> forceClose;

    SessionHandler(ChannelFrames frames, FrameWriter writer, IdleTimeout idle) {
        this.frames = frames;
        this.writer = writer;
        this.idle = idle;
    }

    /** Sets the session this connection serves; before the handler joins the pipeline (the session needs {@link #finish}). */
    void bind(Session session) {
        this.session = session;
    }

    /** Once the handshake is done (event loop). */
    void startSession() {
        session.start();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case BinaryWebSocketFrame frame -> dataMessage(frame);
                case TextWebSocketFrame frame -> dataMessage(frame);
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> closeReceived(close);
                default -> { } // pongs; nothing else reaches here after the aggregator
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** After our close frame the client's data is dropped, as the API server does once the command is done. */
    private void dataMessage(WebSocketFrame frame) {
        if (closeSent) {
            return;
        }
        ChannelFrames.Inbound message = frames.decode(frame.content());
        if (message != null) {
            idle.touch();
            session.onMessage(message.channel(), message.data());
        }
    }

    /** The client's close ends the connection: echo its status (RFC 6455 §5.5.1) unless ours crossed it. */
    private void closeReceived(CloseWebSocketFrame close) {
        if (closeSent) {
            ctx.close();
            return;
        }
        closeSent = true;
        CloseWebSocketFrame reply = WebSocketCloseStatus.isValidStatusCode(close.statusCode())
                ? new CloseWebSocketFrame(close.statusCode(), "")
                : new CloseWebSocketFrame(true, 0);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Ends the session from our side: sends close 1000 and waits up to {@code grace} for the client's reply
     * before dropping the connection. Closing at once could reset the connection while the client still
     * reads the last output (kubernetes/kubernetes apiserver proxy's finish()). Callable from any thread.
     */
    void finish(Duration grace) {
        onEventLoop(() -> {
            if (closeSent || !ctx.channel().isActive()) {
                return;
            }
            closeSent = true;
            ctx.writeAndFlush(normalClosure());
            forceClose = ctx.executor().schedule(() -> ctx.close(), grace.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /** Sends close 1000 and drops the connection (idle timeout), as kubelet's websocket Close does. */
    void closeNow() {
        onEventLoop(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (closeSent) {
                ctx.close();
                return;
            }
            closeSent = true;
            ctx.writeAndFlush(normalClosure()).addListener(ChannelFutureListener.CLOSE);
        });
    }

    private void onEventLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down, and the connection with it
        }
    }

    /** Status 1000 without a reason, as Go's websocket package sends it. */
    private static CloseWebSocketFrame normalClosure() {
        return new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writer.signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (forceClose != null) {
            forceClose.cancel(false);
        }
        idle.stop();
        writer.signal();
        session.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // an oversized message, a protocol violation or a reset: the session cannot go on
        LOG.log(Level.FINE, "streaming connection " + ctx.channel() + " failed", cause);
        ctx.close();
    }
}
