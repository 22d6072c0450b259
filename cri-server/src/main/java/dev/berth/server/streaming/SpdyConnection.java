package dev.berth.server.streaming;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of a SPDY/3.1 session as Kubernetes uses it: the client opens every stream
 * (SYN_STREAM, answered with SYN_REPLY), data flows both ways, FIN half-closes, RST_STREAM
 * tears down. A {@link Listener} (remote command or port-forward) decides what streams mean.
 *
 * <p>No SPDY flow control: Kubernetes' spdystream peers (kubectl, kubelet, crictl) neither send
 * WINDOW_UPDATE nor honour it, so holding writes to the 64 KiB initial window would stall every
 * output past it. Bounds come from TCP instead: reading stops while a stream's buffer is full
 * ({@link InboundBuffer}), and a stream's writer waits for its frames to reach the socket
 * ({@link SpdyStream}). Netty's {@code SpdySessionHandler} enforces windows, so it is not used.
 *
 * <p>Everything here runs on the connection's event loop, except the methods marked for any thread.
 */
final class SpdyConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(SpdyConnection.class.getName());
    /** After the last frame: how long to keep reading (so close sends FIN, not RST) before closing anyway. */
    private static final Duration LINGER = Duration.ofSeconds(5);
    /** Go's SPDY framer rejects an empty header block, which Netty encodes for a reply without headers. */
    private static final String REPLY_HEADER = "streamtype";

    /** What a session does with the connection's streams; called on the event loop. */
    interface Listener {
        void opened(SpdyConnection connection);

        /**
         * A new stream; false refuses it (RST_STREAM). Must not block, nor write to the stream
         * directly: its SYN_REPLY goes out after this returns (see {@link SpdyConnection#later}).
         */
        boolean streamOpened(SpdyStream stream);

        /** The connection is gone: free everything (may start a thread to do so). */
        void closed();
    }

    private final Listener listener;
    private final StreamLimits limits;
    private final Map<Integer, SpdyStream> streams = new HashMap<>();
    private ChannelHandlerContext ctx;
    private int lastStreamId;
    private boolean goingAway;
    private int pausedStreams;

    SpdyConnection(Listener listener, StreamLimits limits) {
        this.listener = listener;
        this.limits = limits;
    }

    StreamLimits limits() {
        return limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        listener.opened(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case SpdySynStreamFrame syn -> open(syn);
            case SpdySynReplyFrame reply -> { } // the server opens no streams
            case SpdyDataFrame data -> {
                SpdyStream stream = streams.get(data.streamId());
                if (stream == null) {
                    data.release(); // a stream already torn down: its late data is dropped
                } else {
                    stream.received(data.content(), data.isLast());
                }
            }
            case SpdyHeadersFrame headers -> {
                SpdyStream stream = streams.get(headers.streamId());
                if (stream != null && headers.isLast()) {
                    stream.remoteFinished();
                }
            }
            case SpdyRstStreamFrame rst -> {
                SpdyStream stream = streams.remove(rst.streamId());
                if (stream != null) {
                    stream.resetByPeer();
                }
            }
            case SpdyPingFrame ping -> {
                if ((ping.id() & 1) == 1) { // the client's ping (odd id): echo it
                    ctx.writeAndFlush(ping);
                }
            }
            case SpdyGoAwayFrame goAway -> goingAway = true;
            default -> ReferenceCountUtil.release(msg); // SETTINGS, WINDOW_UPDATE, unknown frames
        }
    }

    private void open(SpdySynStreamFrame syn) {
        int id = syn.streamId();
        if (syn.isInvalid() || (id & 1) == 0 || id <= lastStreamId) {
            ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
            return;
        }
        lastStreamId = id;
        if (goingAway) {
            ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
            return;
        }
        SpdyStream stream = new SpdyStream(this, id, syn.headers(), limits.bufferBytes());
        streams.put(id, stream);
        if (!listener.streamOpened(stream)) {
            streams.remove(id);
            stream.connectionClosed();
            ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
            return;
        }
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
        String type = stream.header(REPLY_HEADER);
        reply.headers().set(REPLY_HEADER, type == null ? "" : type);
        ctx.writeAndFlush(reply);
        if (syn.isLast()) {
            stream.remoteFinished();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (SpdyStream stream : new ArrayList<>(streams.values())) {
            stream.connectionClosed();
        }
        streams.clear();
        listener.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "SPDY connection from " + ctx.channel().remoteAddress() + " failed; closing it", cause);
        ctx.close();
    }

    // For streams and sessions, from any thread.

    /** Writes and flushes {@code frame}; null (the frame dropped) once the server is stopping. */
    ChannelFuture write(Object frame) {
        if (stopping()) {
            ReferenceCountUtil.release(frame);
            return null;
        }
        return ctx.writeAndFlush(frame);
    }

    /** One more (or one less) stream whose buffer is full; reading the socket waits while any is. */
    void inboundPaused(boolean paused) {
        onEventLoop(() -> {
            pausedStreams += paused ? 1 : -1;
            ctx.channel().config().setAutoRead(pausedStreams == 0);
        });
    }

    /** Drops a stream closed both ways, so a long port-forward connection does not pile them up. */
    void forget(SpdyStream stream) {
        onEventLoop(() -> streams.remove(stream.id(), stream));
    }

    /** Runs {@code task} on the event loop once the frame being handled is done, so after a new stream's SYN_REPLY. */
    void later(Runnable task) {
        if (!stopping()) {
            try {
                ctx.executor().execute(task);
            } catch (RejectedExecutionException e) {
                // the server stopped meanwhile; its connections are closed
            }
        }
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return ctx.executor().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes at once; sessions see {@link Listener#closed()}. */
    void close() {
        ctx.close();
    }

    /**
     * Ends the connection after everything written so far: GOAWAY, then half-close, then keep
     * reading (and dropping) what the client still sends until it closes, for up to
     * {@link #LINGER}. Closing with unread input would make the kernel send RST, and the client
     * could lose the end of the output.
     */
    void finish() {
        onEventLoop(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            goingAway = true;
            streams.values().forEach(SpdyStream::discardInbound);
            ctx.channel().config().setAutoRead(true);
            ctx.writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId)).addListener(sent -> {
                SslHandler tls = ctx.pipeline().get(SslHandler.class);
                if (tls != null) {
                    tls.closeOutbound();
                } else if (ctx.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                }
                schedule(ctx::close, LINGER);
            });
        });
    }

    private void onEventLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else if (!stopping()) {
            try {
                ctx.executor().execute(task);
            } catch (RejectedExecutionException e) {
                // the server stopped meanwhile; its connections are closed
            }
        }
    }

    /**
     * The server is closing: its event loops refuse tasks, and every connection is closed already.
     * Session threads still finishing must not touch the connection then.
     */
    private boolean stopping() {
        return ctx.executor().isShuttingDown();
    }
}
