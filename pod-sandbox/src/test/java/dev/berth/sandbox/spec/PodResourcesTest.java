package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.cri.api.v1.HugepageLimit;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.runtime.oci.Spec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod cgroup's limits from the sandbox's resources and overhead, as kubelet sizes pod cgroups. */
class PodResourcesTest {
    private static final long MIB = 1 << 20;

    private static Spec.Resources of(LinuxContainerResources.Builder r) {
        return PodResources.of(r.build(), "linux.resources");
    }

    @Test
    void overheadIsAddedToMemoryCpuSharesQuotaAndHugepages() {
        Spec.Resources resources = of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(256 * MIB).setCpuShares(1024)
                .setCpuQuota(200_000).setCpuPeriod(100_000)
                .addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB").setLimit(4 * MIB)));
        Spec.Resources overhead = of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(32 * MIB).setCpuShares(256)
                .setCpuQuota(25_000).setCpuPeriod(50_000).addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB").setLimit(2 * MIB)));

        Spec.Resources limits = PodResources.limits(resources, overhead);

        assertEquals(288 * MIB, limits.memory().limit());
        assertNull(limits.memory().swap(), "no swap limit unless given: a pod's containers limit their own");
        assertEquals(1280L, limits.cpu().shares());
        assertEquals(250_000L, limits.cpu().quota(), "the overhead's 0.5 CPU at the pod's period");
        assertEquals(100_000L, limits.cpu().period());
        assertEquals(List.of(new Spec.HugepageLimit("2MB", 6 * MIB)), limits.hugepageLimits());
    }

    @Test
    void overheadAloneMakesNoLimitAndUnlimitedStaysUnlimited() {
        Spec.Resources overhead = of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(32 * MIB).setCpuQuota(10_000));
        assertNull(PodResources.limits(null, overhead));
        Spec.Resources limits = PodResources.limits(of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-1).setCpuShares(2)),
                overhead);
        assertEquals(-1L, limits.memory().limit());
        assertNull(limits.cpu().quota(), "containers without a CPU limit: no pod quota, overhead or not");
        assertEquals(2L, limits.cpu().shares());
    }

    @Test
    void swapGetsTheOverheadsMemoryToo() {
        Spec.Resources limits = PodResources.limits(of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(100 * MIB)
                .setMemorySwapLimitInBytes(200 * MIB)), of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(10 * MIB)));
        assertEquals(110 * MIB, limits.memory().limit());
        assertEquals(210 * MIB, limits.memory().swap());
    }

    @Test
    void cpusetAndUnifiedComeFromResourcesOnly() {
        Spec.Resources limits = PodResources.limits(
                of(LinuxContainerResources.newBuilder().setCpusetCpus("0-1").putUnified("memory.high", "100000000")),
                of(LinuxContainerResources.newBuilder().setCpusetCpus("3").putUnified("memory.high", "1")));
        assertEquals("0-1", limits.cpu().cpus());
        assertEquals(Map.of("memory.high", "100000000"), limits.unified());
    }

    @Test
    void sharesStayWithinTheKernelsRange() {
        Spec.Resources limits = PodResources.limits(of(LinuxContainerResources.newBuilder().setCpuShares(262_000)),
                of(LinuxContainerResources.newBuilder().setCpuShares(1000)));
        assertEquals(262_144L, limits.cpu().shares());
    }

    @Test
    void whatAnUpdateNoLongerGivesIsLifted() {
        Spec.Resources lifted = PodResources.unlimitedWhereUnset(PodResources.limits(
                of(LinuxContainerResources.newBuilder().setCpuShares(512)), null));
        assertEquals(-1L, lifted.memory().limit());
        assertEquals(-1L, lifted.cpu().quota());
        assertEquals(512L, lifted.cpu().shares());
        assertEquals(-1L, PodResources.unlimitedWhereUnset(null).memory().limit());
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        SpecException e = assertThrows(SpecException.class,
                () -> PodResources.of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-7).build(), "overhead"));
        assertEquals("overhead.memory_limit_in_bytes is -7; use a positive value, -1 for unlimited or 0 for unset", e.getMessage());
        assertNull(PodResources.of(null, "resources"));
    }
}
