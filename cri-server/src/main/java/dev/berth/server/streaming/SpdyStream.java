package dev.berth.server.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream a client opened on a {@link SpdyConnection}: its headers, what the client sends
 * ({@link #input()}), and a way to send back ({@link #output()}, {@link #finish()}, {@link #reset()}).
 *
 * <p>Writes come from one thread per stream. A writer waits while {@code limit} bytes of its
 * frames are not yet handed to the socket, so a slow client stops the thread copying a process's
 * output (and the process, once its pipe is full) instead of growing the heap.
 */
final class SpdyStream {
    /** Frames of at most this size keep one stream from hogging the connection. */
    private static final int MAX_FRAME_BYTES = 16 * 1024;

    private final SpdyConnection connection;
    private final int id;
    private final SpdyHeaders headers;
    private final int limit;
    private final InboundBuffer inbound;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final AtomicBoolean localEnd = new AtomicBoolean();
    private int inFlight;
    private String broken;
    // touched on the event loop only
    private boolean localClosed;
    private boolean remoteClosed;

    SpdyStream(SpdyConnection connection, int id, SpdyHeaders headers, int limit) {
        this.connection = connection;
        this.id = id;
        this.headers = headers;
        this.limit = limit;
        this.inbound = new InboundBuffer(limit, connection::inboundPaused);
    }

    int id() {
        return id;
    }

    /** The value of header {@code name} (SPDY names are lower case; the lookup ignores case), or null. */
    String header(String name) {
        return headers.getAsString(name);
    }

    /** What the client sends, ending at its FIN (or a reset, or the connection's end). */
    InputStream input() {
        return inbound;
    }

    /** Stops keeping what the client sends on this stream: for streams nobody reads. */
    void discardInbound() {
        inbound.discard();
    }

    /** Writes to the client; {@code close()} sends FIN. */
    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                send(buffer, offset, length);
            }

            @Override
            public void close() {
                finish();
            }
        };
    }

    private void send(byte[] buffer, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, Math.min(MAX_FRAME_BYTES, limit));
            reserve(n);
            ByteBuf data = Unpooled.copiedBuffer(buffer, offset, n);
            ChannelFuture written = connection.write(new DefaultSpdyDataFrame(id, data));
            if (written == null) {
                fail("the server is stopping");
                release(n);
                throw new IOException("stream " + id + " is closed: the server is stopping");
            }
            written.addListener(future -> {
                if (!future.isSuccess()) {
                    fail("the connection failed: " + future.cause());
                }
                release(n);
            });
            offset += n;
            length -= n;
        }
    }

    private void reserve(int n) throws IOException {
        lock.lock();
        try {
            while (broken == null && inFlight > 0 && inFlight + n > limit) {
                drained.await();
            }
            if (broken == null && localEnd.get()) {
                broken = "already finished";
            }
            if (broken != null) {
                throw new IOException("stream " + id + " is closed: " + broken);
            }
            inFlight += n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write to stream " + id);
        } finally {
            lock.unlock();
        }
    }

    private void release(int n) {
        lock.lock();
        try {
            inFlight -= n;
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(String why) {
        lock.lock();
        try {
            if (broken == null) {
                broken = why;
            }
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sends FIN after what was written, once; nothing after a reset. */
    void finish() {
        if (!localEnd.compareAndSet(false, true)) {
            return;
        }
        DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
        fin.setLast(true);
        ChannelFuture written = connection.write(fin);
        if (written != null) {
            written.addListener(future -> {
                localClosed = true;
                if (remoteClosed) {
                    connection.forget(this);
                }
            });
        }
    }

    /** Tears the stream down both ways (RST_STREAM CANCEL), once. */
    void reset() {
        inbound.discard();
        fail("reset");
        if (localEnd.compareAndSet(false, true)) {
            connection.write(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
            connection.forget(this);
        }
    }

    // Called by the connection, on its event loop.

    void received(ByteBuf data, boolean last) {
        if (remoteClosed) {
            data.release();
            return;
        }
        inbound.offer(data);
        if (last) {
            remoteFinished();
        }
    }

    void remoteFinished() {
        remoteClosed = true;
        inbound.end();
        if (localClosed) {
            connection.forget(this);
        }
    }

    void resetByPeer() {
        remoteClosed = true;
        localClosed = true;
        localEnd.set(true);
        inbound.discard();
        fail("reset by the client");
    }

    void connectionClosed() {
        inbound.discard();
        fail("the connection is closed");
    }
}
