package dev.berth.server.streaming;

import io.netty.channel.Channel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes channel messages to the client. Blocking callers wait while Netty's outbound buffer is above its
 * high-water mark, so a client that reads slowly stops the copy from the process or pod socket instead of
 * growing the heap.
 */
final class FrameWriter {

    private final Channel channel;
    private final ChannelFrames frames;
    private final IdleTimeout idle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();

    FrameWriter(Channel channel, ChannelFrames frames, IdleTimeout idle) {
        this.channel = channel;
        this.frames = frames;
        this.idle = idle;
    }

    /**
     * Sends one message from a blocking thread once the channel can take it.
     *
     * @return false when the connection is gone (nothing was sent)
     */
    boolean send(int channelNumber, byte[] data, int offset, int length) throws InterruptedException {
        lock.lock();
        try {
            while (channel.isActive() && !channel.isWritable()) {
                writable.await();
            }
        } finally {
            lock.unlock();
        }
        if (!channel.isActive()) {
            return false;
        }
        sendNow(channelNumber, data, offset, length);
        return true;
    }

    /** Sends without waiting: for the event loop, and for the few bytes that open and end a session. */
    void sendNow(int channelNumber, byte[] data, int offset, int length) {
        idle.touch();
        // a failed write means the connection is going; channelInactive ends the session
        channel.writeAndFlush(frames.encode(channelNumber, data, offset, length));
    }

    /** Wakes blocked senders; called on writability changes and when the channel closes. */
    void signal() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
