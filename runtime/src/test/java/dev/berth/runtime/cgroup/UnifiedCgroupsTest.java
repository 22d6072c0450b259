package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** cgroup v2 only, at /sys/fs/cgroup, as current Kubernetes hosts have it. */
class UnifiedCgroupsTest {
    private static final long MIB = 1024 * 1024;
    private static final String POD = "/kubepods/burstable/pod1234";
    private static final String CONTAINER = POD + "/c1";

    @TempDir
    Path root;

    private FakeHost host;
    private Cgroups cgroups;

    @BeforeEach
    void setUp() {
        host = FakeHost.unified(root, "cpuset cpu io memory hugetlb pids rdma");
        cgroups = host.cgroups();
    }

    private String read(String file) {
        return host.read(CONTAINER.substring(1) + "/" + file);
    }

    @Test
    void createReturnsTheOneCgroup2Directory() {
        assertEquals(CgroupLayout.Mode.UNIFIED, cgroups.layout().mode());
        assertEquals(List.of(root.resolve(CONTAINER.substring(1))), cgroups.create(CONTAINER, CgroupResources.none()));
    }

    @Test
    void createEnablesTheUsualControllersInEveryAncestorAndNoneInTheCgroup() {
        cgroups.create(CONTAINER, CgroupResources.none());

        for (String dir : List.of("", "kubepods", "kubepods/burstable", "kubepods/burstable/pod1234")) {
            assertEquals("cpu cpuset hugetlb memory pids", host.read(dir + (dir.isEmpty() ? "" : "/") + "cgroup.subtree_control"), dir);
        }
        assertEquals("", read("cgroup.subtree_control"));
        assertEquals("cpu cpuset hugetlb memory pids", read("cgroup.controllers"));
        assertEquals("max", read("memory.max"), "the kernel gave the cgroup its controllers' files");
    }

    @Test
    void enabledControllersAreNotWrittenAgain() {
        cgroups.create(CONTAINER, CgroupResources.none());
        int writes = host.kernel.writes().size();
        cgroups.create(CONTAINER, CgroupResources.none());
        assertEquals(writes, host.kernel.writes().size());
    }

    @Test
    void controllersTheRootDoesNotOfferAreSkippedUntilALimitNeedsThem(@TempDir Path other) {
        FakeHost small = FakeHost.unified(other, "cpu memory pids");
        Cgroups smallCgroups = small.cgroups();
        smallCgroups.create("/berth/c1", CgroupResources.none());
        assertEquals("cpu memory pids", small.read("cgroup.subtree_control"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> smallCgroups.create("/berth/c2", Limit.of().cpus("0").build()));
        assertEquals("the limits need the cpuset controller(s), which this host (cgroup v2) does not have", e.getMessage());
    }

    @Test
    void memoryAndSwapConvertToV2() {
        cgroups.create(CONTAINER, Limit.of().memory(64 * MIB).swap(128 * MIB).build());
        assertEquals("67108864", read("memory.max"));
        assertEquals("67108864", read("memory.swap.max"), "swap.max is the swap beyond memory");

        cgroups.update(CONTAINER, Limit.of().memory(64 * MIB).swap(64 * MIB).build());
        assertEquals("0", read("memory.swap.max"));

        cgroups.update(CONTAINER, Limit.of().memory(64 * MIB).swap(-1).build());
        assertEquals("max", read("memory.swap.max"));
    }

    @Test
    void unlimitedMemoryIsMaxAndLiftsSwap() {
        cgroups.create(CONTAINER, Limit.of().memory(64 * MIB).swap(64 * MIB).build());
        cgroups.update(CONTAINER, Limit.of().memory(-1).build());
        assertEquals("max", read("memory.max"));
        assertEquals("max", read("memory.swap.max"));
    }

    @Test
    void swapWithoutMemoryIsRefusedBeforeAnythingIsMade() {
        assertThrows(IllegalArgumentException.class, () -> cgroups.create(CONTAINER, Limit.of().swap(128 * MIB).build()));
        assertFalse(Files.exists(root.resolve("kubepods")));
    }

    @Test
    void swapIsSkippedWhereTheHostDoesNotAccountIt() {
        host.kernel.swapAccounting = false;
        cgroups.create(CONTAINER, Limit.of().memory(64 * MIB).swap(128 * MIB).build());
        assertEquals("67108864", read("memory.max"));
        assertEquals("<missing>", read("memory.swap.max"));
    }

    @ParameterizedTest(name = "shares {0} -> cpu.weight {1}")
    @CsvSource({"2, 1", "1024, 39", "262144, 10000"})
    void cpuWeightComesFromShares(long shares, String weight) {
        cgroups.create(CONTAINER, Limit.of().shares(shares).build());
        assertEquals(weight, read("cpu.weight"));
    }

    @Test
    void cpuMaxHoldsQuotaAndPeriod() {
        cgroups.create(CONTAINER, Limit.of().quota(50_000).period(100_000).build());
        assertEquals("50000 100000", read("cpu.max"));

        cgroups.update(CONTAINER, Limit.of().period(200_000).build());
        assertEquals("50000 200000", read("cpu.max"), "a new period keeps the quota");

        cgroups.update(CONTAINER, Limit.of().quota(-1).period(100_000).build());
        assertEquals("max 100000", read("cpu.max"));

        cgroups.update(CONTAINER, Limit.of().quota(25_000).build());
        List<String> writes = host.kernel.writes();
        assertEquals(CONTAINER.substring(1) + "/cpu.max=25000", writes.get(writes.size() - 1), "a quota alone keeps the kernel's period");
    }

    @Test
    void cpusetPidsAndHugepagesAreWritten() {
        cgroups.create(CONTAINER, Limit.of().cpus("0-1").mems("0").pids(100).hugepages("2MB", 4 * MIB).build());
        assertEquals("0-1", read("cpuset.cpus"));
        assertEquals("0", read("cpuset.mems"));
        assertEquals("100", read("pids.max"));
        assertEquals("4194304", read("hugetlb.2MB.max"));
        assertEquals("4194304", read("hugetlb.2MB.rsvd.max"));

        cgroups.update(CONTAINER, Limit.of().pids(-1).build());
        assertEquals("max", read("pids.max"));
    }

    @Test
    void unifiedKeysAreWrittenVerbatimWithTheirControllersEnabled() {
        cgroups.create(CONTAINER, Limit.of().unified("io.max", "8:0 rbps=1048576 wiops=120").unified("memory.max", "1000000").build());

        assertEquals("8:0 rbps=1048576 wiops=120", read("io.max"));
        assertEquals("1000000", read("memory.max"));
        assertEquals("cpu cpuset hugetlb io memory pids", host.read("cgroup.subtree_control"), "io enabled for io.max");
    }

    @Test
    void updateEnablesTheControllerOfANewUnifiedKey() {
        cgroups.create(CONTAINER, CgroupResources.none());
        cgroups.update(CONTAINER, Limit.of().unified("io.max", "8:0 wbps=1").build());
        assertEquals("8:0 wbps=1", read("io.max"));
    }

    @Test
    void unifiedKeysOfAbsentControllersAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cgroups.create(CONTAINER, Limit.of().unified("misc.max", "res_a 1").build()));
        assertEquals("cannot apply unified (cgroup v2) settings; misc.max: cgroup v2 here has no controller misc"
                + " (it offers cpu cpuset hugetlb io memory pids rdma)", e.getMessage());
        assertFalse(Files.exists(root.resolve("kubepods")));
    }

    @Test
    void aMemoryLimitBelowTheUsageIsReclaimedForFirst() {
        cgroups.create(CONTAINER, Limit.of().memory(100 * MIB).build());
        host.write(CONTAINER.substring(1) + "/memory.current", Long.toString(40 * MIB));
        host.kernel.reclaimable = 25 * MIB;

        cgroups.update(CONTAINER, Limit.of().memory(20 * MIB).build());

        assertEquals(Long.toString(20 * MIB), read("memory.max"));
        assertTrue(host.kernel.writes().contains(CONTAINER.substring(1) + "/memory.reclaim=" + 20 * MIB), host.kernel.writes().toString());
    }

    /** v2 would OOM-kill the cgroup's processes; Berth answers as v1 does instead. */
    @Test
    void aMemoryLimitBelowWhatReclaimLeavesIsRefusedWithoutOomKilling() {
        cgroups.create(CONTAINER, Limit.of().memory(100 * MIB).build());
        host.write(CONTAINER.substring(1) + "/memory.current", Long.toString(40 * MIB));
        host.write(CONTAINER.substring(1) + "/memory.peak", Long.toString(70 * MIB));
        host.kernel.reclaimable = 5 * MIB;

        MemoryLimitBelowUsageException e = assertThrows(MemoryLimitBelowUsageException.class,
                () -> cgroups.update(CONTAINER, Limit.of().memory(20 * MIB).build()));

        assertEquals(35 * MIB, e.usageBytes(), "the usage after reclaim");
        assertTrue(e.getMessage().contains("to 20971520 bytes: the cgroup uses 36700160 bytes now (peak 73400320)"), e.getMessage());
        assertEquals(Long.toString(100 * MIB), read("memory.max"), "memory.max was not written");
    }

    @Test
    void unlimitedMemoryNeedsNoRoom() {
        cgroups.create(CONTAINER, Limit.of().memory(100 * MIB).build());
        host.write(CONTAINER.substring(1) + "/memory.current", Long.toString(90 * MIB));
        cgroups.update(CONTAINER, Limit.of().memory(-1).build());
        assertEquals("max", read("memory.max"));
    }

    @Test
    void destroyRemovesTheCgroupAndKeepsThePod() {
        cgroups.create(CONTAINER, Limit.of().memory(64 * MIB).build());
        cgroups.destroy(CONTAINER);
        assertFalse(Files.exists(root.resolve(CONTAINER.substring(1))));
        assertTrue(Files.isDirectory(root.resolve(POD.substring(1))));
    }
}
