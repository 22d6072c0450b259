package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.HugepageLimit;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.runtime.oci.Spec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerResourcesTest {
    private static Spec.Resources of(LinuxContainerResources.Builder r) {
        return ContainerSpecs.resources(r.build());
    }

    private static String refused(LinuxContainerResources.Builder r) {
        return assertThrows(SpecException.class, () -> of(r)).getMessage();
    }

    @Test
    void cpuAndMemoryCarryOver() {
        Spec.Resources r = of(LinuxContainerResources.newBuilder().setCpuShares(512).setCpuQuota(50_000).setCpuPeriod(100_000)
                .setCpusetCpus("0-1,3").setCpusetMems("0").setMemoryLimitInBytes(256L << 20).setMemorySwapLimitInBytes(512L << 20));
        assertEquals(new Spec.Cpu(512L, 50_000L, 100_000L, "0-1,3", "0"), r.cpu());
        assertEquals(new Spec.Memory(256L << 20, null, 512L << 20, null, null), r.memory());
    }

    @Test
    void zeroMeansUnset() {
        Spec.Resources r = of(LinuxContainerResources.newBuilder());
        assertNull(r.cpu());
        assertNull(r.memory());
        assertNull(r.hugepageLimits());
        assertNull(r.unified());
        assertNull(ContainerSpecs.resources(null));
    }

    @Test
    void withoutASwapValueSwapIsCappedAtTheMemoryLimit() {
        assertEquals(100L, of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(100)).memory().swap());
        assertNull(of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-1)).memory().swap());
    }

    @Test
    void minusOneIsUnlimitedForMemorySwapAndQuota() {
        Spec.Resources r = of(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-1).setMemorySwapLimitInBytes(-1).setCpuQuota(-1));
        assertEquals(-1L, r.memory().limit());
        assertEquals(-1L, r.memory().swap());
        assertEquals(-1L, r.cpu().quota());
    }

    @Test
    void negativeValuesAreRefusedByName() {
        assertTrue(refused(LinuxContainerResources.newBuilder().setCpuShares(-2)).contains("cpu_shares is -2"));
        assertTrue(refused(LinuxContainerResources.newBuilder().setCpuPeriod(-1)).contains("cpu_period is -1"));
        assertTrue(refused(LinuxContainerResources.newBuilder().setCpuQuota(-5)).contains("cpu_quota is -5"));
        assertTrue(refused(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-2)).contains("memory_limit_in_bytes is -2"));
        assertTrue(refused(LinuxContainerResources.newBuilder().setMemorySwapLimitInBytes(-9)).contains("memory_swap_limit_in_bytes"));
    }

    @Test
    void swapBelowMemoryIsRefused() {
        String message = refused(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(200).setMemorySwapLimitInBytes(100));
        assertTrue(message.contains("below memory_limit_in_bytes 200"), message);
    }

    @Test
    void cpusetsMustBeLists() {
        assertTrue(refused(LinuxContainerResources.newBuilder().setCpusetCpus("all")).contains("cpuset_cpus"));
        assertEquals("0,2-3", of(LinuxContainerResources.newBuilder().setCpusetCpus("0, 2-3")).cpu().cpus());
    }

    @Test
    void hugepagesAndUnifiedCarryOverAndAreChecked() {
        Spec.Resources r = of(LinuxContainerResources.newBuilder()
                .addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB").setLimit(1L << 30))
                .putUnified("memory.high", "1000000"));
        assertEquals(List.of(new Spec.HugepageLimit("2MB", 1L << 30)), r.hugepageLimits());
        assertEquals(Map.of("memory.high", "1000000"), r.unified());
        assertTrue(refused(LinuxContainerResources.newBuilder()
                .addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2M").setLimit(1))).contains("page_size \"2M\""));
        assertTrue(refused(LinuxContainerResources.newBuilder().putUnified("../../memory.max", "1")).contains("resources.unified"));
    }
}
