package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitsTest {
    private static final long MIB = 1024 * 1024;

    @ParameterizedTest(name = "shares {0} -> weight {1}")
    @CsvSource({"2, 1", "1024, 39", "262144, 10000", "512, 20", "1, 1", "0, 1", "1000000, 10000"})
    void cpuWeightFollowsTheRuncFormulaAndClampsShares(long shares, long weight) {
        assertEquals(weight, Limits.cpuWeight(shares));
    }

    @Test
    void swapMaxIsTheSwapBeyondMemory() {
        assertEquals(Long.toString(64 * MIB), Limits.swapMax(64 * MIB, 128 * MIB));
        assertEquals("0", Limits.swapMax(64 * MIB, 64 * MIB), "memory+swap equal to memory means no swap");
    }

    @Test
    void unlimitedSwapOrUnlimitedMemoryAloneIsMax() {
        assertEquals("max", Limits.swapMax(64 * MIB, -1L));
        assertEquals("max", Limits.swapMax(-1L, null));
        assertNull(Limits.swapMax(64 * MIB, null), "swap left alone");
        assertNull(Limits.swapMax(null, null));
        assertNull(Limits.swapMax(null, 0L), "0 is unset, as in runc");
    }

    @Test
    void swapWithoutAMemoryLimitCannotBeExpressedOnV2() {
        assertThrows(IllegalArgumentException.class, () -> Limits.swapMax(null, 128 * MIB));
        assertThrows(IllegalArgumentException.class, () -> Limits.swapMax(-1L, 128 * MIB));
    }

    @Test
    void swapBelowMemoryIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limits.checkSwap(128 * MIB, 64 * MIB));
        assertEquals("memory+swap limit 67108864 is below the memory limit 134217728; OCI's swap value is the total of memory and swap",
                e.getMessage());
        Limits.checkSwap(64 * MIB, -1L);
        Limits.checkSwap(-1L, 64 * MIB);
    }

    @Test
    void pidsMinusOneAndZeroAreMax() {
        assertEquals("max", Limits.pids(-1));
        assertEquals("max", Limits.pids(0));
        assertEquals("100", Limits.pids(100));
    }
}
