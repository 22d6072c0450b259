package dev.berth.server.streaming;

import io.netty.buffer.ByteBuf;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a client sent on one stream and nobody has read yet, as an {@link InputStream} for the
 * stream's reader thread. The event loop adds; past {@code limit} bytes it asks the connection to
 * stop reading the socket (TCP then slows the client), and reading resumes when the reader has
 * taken half. A stream nobody reads is set to discard, so it can never stall the connection.
 */
final class InboundBuffer extends InputStream {
    /** Told when this buffer starts (true) and stops (false) holding the connection's reads back. */
    interface Pauser {
        void paused(boolean paused);
    }

    private final int limit;
    private final Pauser pauser;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private int bytes;
    private boolean ended;
    private boolean discarding;
    private boolean paused;

    InboundBuffer(int limit, Pauser pauser) {
        this.limit = limit;
        this.pauser = pauser;
    }

    /** Takes ownership of {@code data}. */
    void offer(ByteBuf data) {
        lock.lock();
        try {
            if (discarding || ended || !data.isReadable()) {
                data.release();
                return;
            }
            chunks.add(data);
            bytes += data.readableBytes();
            if (!paused && bytes >= limit) {
                paused = true;
                pauser.paused(true);
            }
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more data: the reader gets what is buffered, then the end. */
    void end() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is buffered and all that comes later; the reader gets the end at once. */
    void discard() {
        lock.lock();
        try {
            discarding = true;
            ended = true;
            chunks.forEach(ByteBuf::release);
            chunks.clear();
            bytes = 0;
            resume();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (chunks.isEmpty() && !ended) {
                readable.await();
            }
            ByteBuf head = chunks.peek();
            if (head == null) {
                return -1;
            }
            int n = Math.min(length, head.readableBytes());
            head.readBytes(buffer, offset, n);
            if (!head.isReadable()) {
                chunks.poll().release();
            }
            bytes -= n;
            if (bytes <= limit / 2) {
                resume();
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for stream data");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Same as {@link #discard()}: a reader that is done frees the buffer. */
    @Override
    public void close() {
        discard();
    }

    private void resume() {
        if (paused) {
            paused = false;
            pauser.paused(false);
        }
    }
}
