package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupResourcesTest {

    @Test
    void noneSetsNothing() {
        CgroupResources none = CgroupResources.none();
        assertNull(none.memoryLimitBytes());
        assertNull(none.cpuShares());
        assertNull(none.pidsLimit());
        assertEquals(Map.of(), none.hugepageLimits());
        assertEquals(Map.of(), none.unified());
    }

    @Test
    void nullMapsAreEmptyAndMapsAreSortedCopies() {
        Map<String, String> unified = new HashMap<>(Map.of("pids.max", "5", "memory.high", "1"));
        CgroupResources r = new CgroupResources(null, null, null, null, null, null, null, null, null, unified);
        unified.put("io.max", "x");
        assertEquals(List.of("memory.high", "pids.max"), List.copyOf(r.unified().keySet()));
        assertEquals(Map.of(), r.hugepageLimits());
        assertThrows(UnsupportedOperationException.class, () -> r.unified().put("a.b", "c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../memory.max", "x/memory.max", "..", "", "memory..max"})
    void unifiedKeysMustBePlainFileNames(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limit.of().unified(key, "1").build());
        assertTrue(e.getMessage().contains("\"" + key + "\""), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2M", "2mb", "0MB", "../2MB", "2MB.max"})
    void hugepageSizesMustLookLikeTheKernelsNames(String size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limit.of().hugepages(size, 1).build());
        assertTrue(e.getMessage().contains(size), e.getMessage());
    }

    @Test
    void numbersBelowTheirRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limit.of().pids(-5).build());
        assertEquals("pidsLimit is -5; it must be at least -1 (-1 means unlimited)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Limit.of().memory(-2).build());
        assertThrows(IllegalArgumentException.class, () -> Limit.of().shares(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Limit.of().hugepages("2MB", -1).build());
        Limit.of().memory(-1).swap(-1).quota(-1).pids(-1).shares(0).period(0).build();
    }

    @Test
    void nullValuesAreRefused() {
        Map<String, String> unified = new HashMap<>();
        unified.put("memory.high", null);
        assertThrows(IllegalArgumentException.class,
                () -> new CgroupResources(null, null, null, null, null, null, null, null, null, unified));
    }
}
