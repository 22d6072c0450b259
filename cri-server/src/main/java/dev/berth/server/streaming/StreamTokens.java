package dev.berth.server.streaming;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one-time tokens in streaming URLs, as kubelet's request cache: each stands for the CRI
 * request that made it, is random (128 bits, URL-safe), can be used once, and expires after
 * {@link #TTL}. At most {@link #MAX_IN_FLIGHT} unused, unexpired tokens exist at a time, so a
 * caller that asks for URLs and never connects cannot grow this table without limit.
 */
public final class StreamTokens {
    public static final Duration TTL = Duration.ofMinutes(1);
    public static final int MAX_IN_FLIGHT = 1000;
    private static final int TOKEN_BYTES = 16;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> tokens = new LinkedHashMap<>();

    private record Entry(StreamRequest request, Instant expires) {}

    /** The answer when {@link #MAX_IN_FLIGHT} tokens wait for their clients; the RPC answers RESOURCE_EXHAUSTED. */
    public static final class LimitReachedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitReachedException(String message) {
            super(message);
        }
    }

    public StreamTokens(Clock clock) {
        this.clock = clock;
    }

    /** A new token for {@code request}, valid for {@link #TTL}. */
    public synchronized String issue(StreamRequest request) {
        Instant now = clock.instant();
        dropExpired(now);
        if (tokens.size() >= MAX_IN_FLIGHT) {
            throw new LimitReachedException(MAX_IN_FLIGHT + " streaming URLs are already waiting for their clients to connect; "
                    + "retry when some are used or expire (after " + TTL.toSeconds() + " s)");
        }
        String token;
        do {
            token = newToken();
        } while (tokens.containsKey(token));
        tokens.put(token, new Entry(request, now.plus(TTL)));
        return token;
    }

    /** The request behind {@code token}, which is used up by this call; empty when unknown, used or expired. */
    public synchronized Optional<StreamRequest> consume(String token) {
        Entry entry = tokens.remove(token);
        if (entry == null || !clock.instant().isBefore(entry.expires())) {
            return Optional.empty();
        }
        return Optional.of(entry.request());
    }

    /** Tokens issued and neither used nor expired. */
    public synchronized int inFlight() {
        dropExpired(clock.instant());
        return tokens.size();
    }

    /** A full scan, not just the oldest entries: a clock set back must not keep expired tokens alive. */
    private void dropExpired(Instant now) {
        tokens.values().removeIf(entry -> !now.isBefore(entry.expires()));
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
