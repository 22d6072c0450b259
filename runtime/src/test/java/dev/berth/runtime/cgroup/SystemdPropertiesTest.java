package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SystemdPropertiesTest {
    private static final long MIB = 1024 * 1024;
    private static final int CURRENT = 252;

    private static List<UnitProperty> v2(Limit limit) {
        return SystemdProperties.resources(limit.build(), true, CURRENT);
    }

    private static List<UnitProperty> v1(Limit limit) {
        return SystemdProperties.resources(limit.build(), false, CURRENT);
    }

    @Test
    void noLimitsAreNoProperties() {
        assertEquals(List.of(), v2(Limit.of()));
        assertEquals(List.of(), v1(Limit.of()));
    }

    @Test
    void aScopeIsPlacedInItsSliceDelegatedWithItsPidAndAccountingOn() {
        SystemdUnit unit = SystemdUnit.parse("kubepods-besteffort-pod1.slice:berth:c1");

        assertEquals(List.of(
                UnitProperty.string("Description", "berth container berth-c1.scope"),
                UnitProperty.string("Slice", "kubepods-besteffort-pod1.slice"),
                UnitProperty.bool("Delegate", true),
                UnitProperty.uint32s("PIDs", List.of(4242L)),
                UnitProperty.bool("MemoryAccounting", true),
                UnitProperty.bool("CPUAccounting", true),
                UnitProperty.bool("IOAccounting", true),
                UnitProperty.bool("TasksAccounting", true),
                UnitProperty.bool("DefaultDependencies", false)), SystemdProperties.scope(unit, 4242, true));
    }

    @Test
    void v1HostsGetBlockIoAccountingInsteadOfIo() {
        List<UnitProperty> props = SystemdProperties.scope(SystemdUnit.parse("a.slice:berth:c1"), 1, false);

        assertTrue(props.contains(UnitProperty.bool("BlockIOAccounting", true)), props.toString());
        assertTrue(props.stream().noneMatch(p -> p.name().equals("IOAccounting")), props.toString());
    }

    @Test
    void aSliceIsWantedByItsParentAndHasNoPidsNorDelegation() {
        SystemdUnit unit = SystemdUnit.parse("kubepods-besteffort.slice:berth:kubepods-besteffort-pod1.slice");
        List<UnitProperty> props = SystemdProperties.slice(unit, true);

        assertEquals(UnitProperty.strings("Wants", List.of("kubepods-besteffort.slice")), props.get(1));
        assertTrue(props.stream().noneMatch(p -> List.of("PIDs", "Delegate", "Slice").contains(p.name())), props.toString());
    }

    @Test
    void memoryIsMemoryMaxOnV2AndMemoryLimitOnV1() {
        assertEquals(List.of(UnitProperty.uint64("MemoryMax", 64 * MIB)), v2(Limit.of().memory(64 * MIB)));
        assertEquals(List.of(UnitProperty.uint64("MemoryLimit", 64 * MIB)), v1(Limit.of().memory(64 * MIB)));
    }

    @Test
    void unlimitedMemoryIsInfinityAndLiftsSwapOnV2() {
        assertEquals(List.of(UnitProperty.uint64("MemoryMax", UnitProperty.INFINITY), UnitProperty.uint64("MemorySwapMax", UnitProperty.INFINITY)),
                v2(Limit.of().memory(-1)));
    }

    @Test
    void swapIsTheTotalMinusMemoryOnV2AndLeftToTheFilesOnV1() {
        assertEquals(List.of(UnitProperty.uint64("MemoryMax", 64 * MIB), UnitProperty.uint64("MemorySwapMax", 32 * MIB)),
                v2(Limit.of().memory(64 * MIB).swap(96 * MIB)));
        assertEquals(List.of(UnitProperty.uint64("MemoryLimit", 64 * MIB)), v1(Limit.of().memory(64 * MIB).swap(96 * MIB)));
    }

    @ParameterizedTest
    @CsvSource({"2, 1", "1024, 39", "262144, 10000", "102, 4"})
    void sharesBecomeCpuWeightOnV2WithKubeletsFormula(long shares, long weight) {
        assertEquals(List.of(UnitProperty.uint64("CPUWeight", weight)), v2(Limit.of().shares(shares)));
    }

    @Test
    void sharesStaySharesOnV1() {
        assertEquals(List.of(UnitProperty.uint64("CPUShares", 512)), v1(Limit.of().shares(512)));
    }

    @ParameterizedTest
    @CsvSource({
        "50000, 100000, 500000",      // half a CPU: 500 ms per second
        "200000, 100000, 2000000",
        "12345, 100000, 130000",      // 123.45 ms per second is rounded up to the next 10 ms, as runc does
        "1000, 50000, 20000",
        "150000, 300000, 500000"})
    void quotaIsCpuTimePerSecondRoundedUpToTenMilliseconds(long quota, long period, long perSecond) {
        assertEquals(List.of(UnitProperty.uint64("CPUQuotaPeriodUSec", period), UnitProperty.uint64("CPUQuotaPerSecUSec", perSecond)),
                v2(Limit.of().quota(quota).period(period)));
    }

    @Test
    void aQuotaWithoutAPeriodAssumesTheDefaultPeriod() {
        assertEquals(List.of(UnitProperty.uint64("CPUQuotaPerSecUSec", 250_000)), v1(Limit.of().quota(25_000)));
    }

    @Test
    void anUnlimitedQuotaOrAPeriodAloneIsInfinity() {
        assertEquals(List.of(UnitProperty.uint64("CPUQuotaPerSecUSec", UnitProperty.INFINITY)), v2(Limit.of().quota(-1)));
        assertEquals(List.of(UnitProperty.uint64("CPUQuotaPeriodUSec", 100_000), UnitProperty.uint64("CPUQuotaPerSecUSec", UnitProperty.INFINITY)),
                v2(Limit.of().period(100_000)));
    }

    @Test
    void systemdOlderThan242GetsNoPeriodProperty() {
        assertEquals(List.of(UnitProperty.uint64("CPUQuotaPerSecUSec", 500_000)),
                SystemdProperties.resources(Limit.of().quota(50_000).period(100_000).build(), true, 241));
    }

    @Test
    void pidsAreTasksMaxWithNoLimitAsInfinity() {
        assertEquals(List.of(UnitProperty.uint64("TasksMax", 100)), v2(Limit.of().pids(100)));
        assertEquals(List.of(UnitProperty.uint64("TasksMax", UnitProperty.INFINITY)), v1(Limit.of().pids(-1)));
        assertEquals(List.of(UnitProperty.uint64("TasksMax", UnitProperty.INFINITY)), v1(Limit.of().pids(0)));
    }

    @Test
    void cpusetsAreByteMasksLowestCpuFirst() {
        assertEquals(List.of(UnitProperty.bytes("AllowedCPUs", List.of(0x0f)), UnitProperty.bytes("AllowedMemoryNodes", List.of(0x01))),
                v2(Limit.of().cpus("0-3").mems("0")));
        assertEquals(List.of(UnitProperty.bytes("AllowedCPUs", List.of(0x02, 0x01))), v2(Limit.of().cpus("1,8")));
        assertEquals(List.of(UnitProperty.bytes("AllowedCPUs", List.of(0x00, 0x00, 0x80, 0x01))), v1(Limit.of().cpus(" 23-24 ,")));
    }

    @Test
    void systemdOlderThan244GetsNoCpusetProperties() {
        assertEquals(List.of(), SystemdProperties.resources(Limit.of().cpus("0-3").mems("0").build(), true, 243));
    }

    @Test
    void aBadCpuListIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v2(Limit.of().cpus("3-1")));
        assertTrue(e.getMessage().contains("cpusetCpus \"3-1\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v2(Limit.of().cpus("x")));
        assertThrows(IllegalArgumentException.class, () -> v2(Limit.of().mems(",")));
    }

    @Test
    void unifiedKeysSystemdManagesBecomeItsPropertiesOnV2() {
        List<UnitProperty> props = v2(Limit.of().unified("memory.high", "1048576").unified("memory.min", "max").unified("pids.max", "50")
                .unified("cpu.weight", "200").unified("cpu.max", "25000 50000").unified("cpuset.cpus", "2")
                .unified("io.weight", "default 100"));

        assertEquals(List.of(
                UnitProperty.uint64("CPUQuotaPeriodUSec", 50_000), UnitProperty.uint64("CPUQuotaPerSecUSec", 500_000),
                UnitProperty.uint64("CPUWeight", 200),
                UnitProperty.bytes("AllowedCPUs", List.of(0x04)),
                UnitProperty.uint64("MemoryHigh", MIB),
                UnitProperty.uint64("MemoryMin", UnitProperty.INFINITY),
                UnitProperty.uint64("TasksMax", 50)), props, "sorted by key; io.weight is left to the files");
    }

    @Test
    void aUnifiedValueSystemdCannotReadIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v2(Limit.of().unified("memory.high", "lots")));
        assertTrue(e.getMessage().contains("unified memory.high \"lots\""), e.getMessage());
    }
}
