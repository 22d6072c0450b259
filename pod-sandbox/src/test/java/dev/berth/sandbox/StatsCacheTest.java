package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One cgroup read per container per window, shared by every caller; CPU rates over the window before. */
class StatsCacheTest {
    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeTicker ticker = new FakeTicker();
    private final StatsCache cache = new StatsCache(runtime, Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC), ticker);

    @BeforeEach
    void aRunningContainer() {
        runtime.containers.put("c", new ContainerState("c", ContainerStatus.RUNNING, 100, null, Instant.EPOCH, null));
    }

    @Test
    void callsWithinTheWindowShareOneReadAndTheNextWindowReadsAgain() {
        runtime.cpu.put("c", new long[] {100, 1_000_000_000L});
        StatsCache.Sample first = cache.sampleOrNull("c");
        ticker.advance(StatsCache.FRESH.minusNanos(1));
        runtime.cpu.put("c", new long[] {101, 2_000_000_000L});
        assertSame(first, cache.sampleOrNull("c"), "still fresh: the same reading");
        assertEquals(1, runtime.usageReads.get());

        ticker.advance(Duration.ofNanos(1));
        assertEquals(2_000_000_000L, cache.sampleOrNull("c").usage().cpuUsageNanos(), "expired: read again");
        assertEquals(2, runtime.usageReads.get());
    }

    @Test
    void theRateIsOverThePreviousReading() {
        runtime.cpu.put("c", new long[] {100, 1_000_000_000L});
        assertFalse(cache.sampleOrNull("c").hasRate(), "nothing before the first reading");
        ticker.advance(Duration.ofSeconds(10));
        runtime.cpu.put("c", new long[] {110, 6_000_000_000L});
        assertEquals(500_000_000L, cache.sampleOrNull("c").nanoCores(), "5 s of CPU in 10 s: half a core");
    }

    @Test
    void aCounterThatWentBackOrATimeThatDidNotMoveHasNoRate() {
        runtime.cpu.put("c", new long[] {100, 5_000_000_000L});
        cache.sampleOrNull("c");
        ticker.advance(StatsCache.FRESH);
        runtime.cpu.put("c", new long[] {101, 4_000_000_000L});
        assertFalse(cache.sampleOrNull("c").hasRate(), "the counter went back");
        ticker.advance(StatsCache.FRESH);
        assertFalse(cache.sampleOrNull("c").hasRate(), "no time passed between the readings");
    }

    @Test
    void aForgottenContainerStartsOverAndAGoneOneHasNoReading() {
        runtime.cpu.put("c", new long[] {100, 1_000_000_000L});
        cache.sampleOrNull("c");
        cache.forget("c");
        runtime.cpu.put("c", new long[] {101, 2_000_000_000L});
        StatsCache.Sample again = cache.sampleOrNull("c");
        assertEquals(2_000_000_000L, again.usage().cpuUsageNanos(), "forgetting drops the cached reading");
        assertFalse(again.hasRate(), "and the one a rate is taken over");

        assertNull(cache.sampleOrNull("gone"), "no such container: no reading");
        assertEquals(2, runtime.usageReads.get());
    }

    @Test
    void retainOnlyDropsWhatIsKeptOfGoneContainers() {
        runtime.cpu.put("c", new long[] {100, 1_000_000_000L});
        cache.sampleOrNull("c");
        cache.retainOnly(java.util.List.of("other"));
        assertFalse(cache.sampleOrNull("c").hasRate(), "read again, without the old reading to take a rate over");
        assertEquals(2, runtime.usageReads.get());
    }
}
