package dev.berth.server.streaming;

import java.time.Duration;

/**
 * Bounds of every streaming session (DESIGN §6, issue 8).
 *
 * @param idleTimeout a session with no traffic either way for this long is closed (kubelet's default: 4 h)
 * @param streamCreationTimeout how long a SPDY client may take to open the streams it announced (30 s)
 * @param bufferBytes the most bytes buffered per stream and direction before reading from the other side pauses
 */
public record StreamLimits(Duration idleTimeout, Duration streamCreationTimeout, int bufferBytes) {
    public static final StreamLimits DEFAULTS = new StreamLimits(Duration.ofHours(4), Duration.ofSeconds(30), 64 * 1024);
}
