package dev.berth.server.streaming;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops reading the client's socket while any inbound pump holds more than its limit, and reads again when
 * none does: TCP flow control then holds the client back.
 */
final class ReadThrottle {

    private final Channel channel;
    private final AtomicInteger pausedBy = new AtomicInteger();

    ReadThrottle(Channel channel) {
        this.channel = channel;
    }

    void pause() {
        if (pausedBy.getAndIncrement() == 0) {
            channel.config().setAutoRead(false);
        }
    }

    /** Undoes one {@link #pause()}; setting auto-read back on also asks for the next read. */
    void resume() {
        if (pausedBy.decrementAndGet() == 0) {
            channel.config().setAutoRead(true);
        }
    }
}
