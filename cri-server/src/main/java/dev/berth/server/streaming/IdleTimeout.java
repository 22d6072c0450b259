package dev.berth.server.streaming;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Ends a session that has carried no data message either way for the limit. Like kubelet's deadline, which
 * moves on each data message only, pings do not count: client-go pings every few seconds and would otherwise
 * keep an abandoned shell open forever.
 */
final class IdleTimeout {

    private final Channel channel;
    private final long limitNanos;
    private final LongSupplier nanoTime;
    private Runnable onIdle;
    private ScheduledFuture<?> check;
    private volatile long lastActivity;

    IdleTimeout(Channel channel, Duration limit, LongSupplier nanoTime) {
        this.channel = channel;
        this.limitNanos = limit.toNanos();
        this.nanoTime = nanoTime;
        this.lastActivity = nanoTime.getAsLong();
    }

    void touch() {
        lastActivity = nanoTime.getAsLong();
    }

    /** Starts watching; {@code onIdle} runs on the event loop, as do {@link #stop()} and the checks. */
    void start(Runnable onIdle) {
        this.onIdle = onIdle;
        touch();
        schedule(limitNanos);
    }

    /** Drops the pending check, which would otherwise hold the connection until it fires. */
    void stop() {
        if (check != null) {
            check.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        check = channel.eventLoop().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (!channel.isActive()) {
            return;
        }
        long idleFor = nanoTime.getAsLong() - lastActivity;
        if (idleFor >= limitNanos) {
            onIdle.run();
        } else {
            schedule(limitNanos - idleFor);
        }
    }
}
