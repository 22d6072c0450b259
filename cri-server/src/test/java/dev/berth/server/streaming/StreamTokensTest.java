package dev.berth.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamTokensTest {
    private static final StreamRequest EXEC = new StreamRequest.Exec("c1", List.of("sh"), false, true, true, true);

    private final TestClock clock = new TestClock();
    private final StreamTokens tokens = new StreamTokens(clock);

    @Test
    void tokensAreUrlSafeAndCarry128RandomBits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String token = tokens.issue(EXEC);
            assertTrue(token.matches("[A-Za-z0-9_-]{22}"), token); // 16 bytes, base64url without padding
            assertTrue(seen.add(token), "repeated token " + token);
        }
    }

    @Test
    void aTokenIsUsedOnce() {
        String token = tokens.issue(EXEC);
        assertEquals(Optional.of(EXEC), tokens.consume(token));
        assertEquals(Optional.empty(), tokens.consume(token));
    }

    @Test
    void unknownTokenStandsForNothing() {
        assertEquals(Optional.empty(), tokens.consume("nope"));
    }

    @Test
    void aTokenExpiresAfterOneMinute() {
        String early = tokens.issue(EXEC);
        String late = tokens.issue(EXEC);
        clock.advance(Duration.ofSeconds(59));
        assertEquals(Optional.of(EXEC), tokens.consume(early));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), tokens.consume(late));
    }

    @Test
    void theThousandAndFirstTokenIsRefusedUntilOneIsUsedOrExpires() {
        String first = tokens.issue(EXEC);
        for (int i = 1; i < StreamTokens.MAX_IN_FLIGHT; i++) {
            tokens.issue(EXEC);
        }
        StreamTokens.LimitReachedException e = assertThrows(StreamTokens.LimitReachedException.class, () -> tokens.issue(EXEC));
        assertTrue(e.getMessage().startsWith("1000 streaming URLs are already waiting for their clients to connect"), e.getMessage());

        tokens.consume(first);
        tokens.issue(EXEC);
        assertThrows(StreamTokens.LimitReachedException.class, () -> tokens.issue(EXEC));

        clock.advance(StreamTokens.TTL);
        assertEquals(0, tokens.inFlight());
        tokens.issue(EXEC);
        assertEquals(1, tokens.inFlight());
    }
}
