package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This build machine's layout: v1 controllers one per mount, name=systemd, cgroup2 at unified offering hugetlb. */
class HybridCgroupsTest {
    private static final long MIB = 1024 * 1024;
    private static final List<String> HIERARCHIES =
            List.of("blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids", "unified");

    @TempDir
    Path root;

    private FakeHost host;
    private Cgroups cgroups;

    @BeforeEach
    void setUp() {
        host = FakeHost.hybrid(root);
        cgroups = host.cgroups();
    }

    @Test
    void layoutIsHybridWithHugetlbOnCgroup2() {
        assertEquals(CgroupLayout.Mode.HYBRID, cgroups.layout().mode());
        assertEquals(root.resolve("unified"), cgroups.layout().unifiedMount());
        assertEquals(java.util.Set.of("hugetlb"), cgroups.layout().unifiedControllers());
    }

    @Test
    void createMakesTheCgroupInEveryControllerHierarchyAndTheUnifiedMountButNotNameSystemd() {
        List<Path> dirs = cgroups.create("/berth/c1", CgroupResources.none());

        assertEquals(HIERARCHIES.stream().map(h -> root.resolve(h).resolve("berth/c1")).toList(), dirs);
        dirs.forEach(dir -> assertTrue(Files.isDirectory(dir), dir + " exists"));
        assertFalse(Files.exists(root.resolve("systemd/berth")), "the name=systemd hierarchy is not joined");
    }

    @Test
    void createWritesEachV1LimitToItsFile() {
        cgroups.create("/berth/c1", Limit.of().memory(64 * MIB).swap(128 * MIB).shares(512).quota(50_000).period(100_000)
                .cpus("1").mems("0").pids(100).build());

        assertEquals("67108864", host.read("memory/berth/c1/memory.limit_in_bytes"));
        assertEquals("134217728", host.read("memory/berth/c1/memory.memsw.limit_in_bytes"));
        assertEquals("512", host.read("cpu/berth/c1/cpu.shares"));
        assertEquals("50000", host.read("cpu/berth/c1/cpu.cfs_quota_us"));
        assertEquals("100000", host.read("cpu/berth/c1/cpu.cfs_period_us"));
        assertEquals("1", host.read("cpuset/berth/c1/cpuset.cpus"));
        assertEquals("0", host.read("cpuset/berth/c1/cpuset.mems"));
        assertEquals("100", host.read("pids/berth/c1/pids.max"));
    }

    @Test
    void hugepageLimitsGoToTheUnifiedMountWithHugetlbEnabledInEveryAncestor() {
        cgroups.create("/berth/c1", Limit.of().hugepages("2MB", 4 * MIB).build());

        assertEquals("4194304", host.read("unified/berth/c1/hugetlb.2MB.max"));
        assertEquals("4194304", host.read("unified/berth/c1/hugetlb.2MB.rsvd.max"));
        assertEquals("max", host.read("unified/berth/c1/hugetlb.1GB.max"), "other sizes untouched");
        assertEquals("hugetlb", host.read("unified/cgroup.subtree_control"));
        assertEquals("hugetlb", host.read("unified/berth/cgroup.subtree_control"));
        assertEquals("", host.read("unified/berth/c1/cgroup.subtree_control"), "the cgroup holding processes enables nothing");
    }

    @Test
    void unifiedKeysOfTheCgroup2ControllerAreWritten() {
        cgroups.create("/berth/c1", Limit.of().unified("hugetlb.1GB.max", "1073741824").build());
        assertEquals("1073741824", host.read("unified/berth/c1/hugetlb.1GB.max"));
    }

    @Test
    void unifiedKeysOfV1ControllersAreRefusedNamingThemBeforeAnythingIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cgroups.create("/berth/c1",
                Limit.of().memory(64 * MIB).unified("memory.high", "1000").unified("pids.max", "5").build()));

        assertEquals("cannot apply unified (cgroup v2) settings; memory.high: controller memory is on cgroup v1 here;"
                + " set its v1 limit instead; pids.max: controller pids is on cgroup v1 here; set its v1 limit instead", e.getMessage());
        assertFalse(Files.exists(root.resolve("memory/berth")));
        assertFalse(Files.exists(root.resolve("unified/berth")));
    }

    @Test
    void cpusetDirectoriesInheritCpusAndMemsOnTheWayDown() {
        cgroups.create("/a/b/c", CgroupResources.none());

        for (String dir : List.of("a", "a/b", "a/b/c")) {
            assertEquals("0-3", host.read("cpuset/" + dir + "/cpuset.cpus"), dir);
            assertEquals("0", host.read("cpuset/" + dir + "/cpuset.mems"), dir);
        }
        cgroups.create("/a/b/d", Limit.of().cpus("2").build());
        assertEquals("2", host.read("cpuset/a/b/d/cpuset.cpus"));
        assertEquals("0", host.read("cpuset/a/b/d/cpuset.mems"));
        assertEquals("0-3", host.read("cpuset/a/b/cpuset.cpus"), "the parent keeps its own");
    }

    @Test
    void aNewCpusetInheritsItsParentsCpusNotTheRoots() {
        cgroups.create("/pod", Limit.of().cpus("1").build());
        cgroups.create("/pod/c1", CgroupResources.none());
        assertEquals("1", host.read("cpuset/pod/c1/cpuset.cpus"));
    }

    @Test
    void createIsIdempotent() {
        CgroupResources limits = Limit.of().memory(64 * MIB).pids(10).build();
        List<Path> first = cgroups.create("/berth/c1", limits);
        List<Path> second = cgroups.create("/berth/c1", limits);
        assertEquals(first, second);
        assertEquals("67108864", host.read("memory/berth/c1/memory.limit_in_bytes"));
    }

    @Test
    void memoryAndSwapGrowAndShrinkInTheOrderTheKernelAccepts() {
        cgroups.create("/berth/c1", Limit.of().memory(100 * MIB).swap(200 * MIB).build());

        cgroups.update("/berth/c1", Limit.of().memory(300 * MIB).swap(400 * MIB).build());
        List<String> writes = host.kernel.writes();
        assertEquals(List.of("memory/berth/c1/memory.memsw.limit_in_bytes=" + 400 * MIB, "memory/berth/c1/memory.limit_in_bytes=" + 300 * MIB),
                writes.subList(writes.size() - 2, writes.size()), "growing: memsw first");

        cgroups.update("/berth/c1", Limit.of().memory(50 * MIB).swap(60 * MIB).build());
        writes = host.kernel.writes();
        assertEquals(List.of("memory/berth/c1/memory.limit_in_bytes=" + 50 * MIB, "memory/berth/c1/memory.memsw.limit_in_bytes=" + 60 * MIB),
                writes.subList(writes.size() - 2, writes.size()), "shrinking: the limit first");
    }

    @Test
    void aMemoryLimitBelowTheUsageIsRefusedWithTheUsageAndChangesNothing() {
        cgroups.create("/berth/c1", Limit.of().memory(100 * MIB).swap(100 * MIB).shares(512).build());
        host.write("memory/berth/c1/memory.usage_in_bytes", Long.toString(40 * MIB));
        host.write("memory/berth/c1/memory.max_usage_in_bytes", Long.toString(60 * MIB));

        MemoryLimitBelowUsageException e = assertThrows(MemoryLimitBelowUsageException.class,
                () -> cgroups.update("/berth/c1", Limit.of().memory(10 * MIB).swap(10 * MIB).shares(1024).build()));

        assertEquals(10 * MIB, e.requestedBytes());
        assertEquals(40 * MIB, e.usageBytes());
        assertEquals("cannot set memory.limit_in_bytes of " + root.resolve("memory/berth/c1") + " to 10485760 bytes: the cgroup uses"
                + " 41943040 bytes now (peak 62914560) and the kernel could not reclaim enough; choose a limit above its usage,"
                + " or free memory in it first", e.getMessage());
        assertEquals(Long.toString(100 * MIB), host.read("memory/berth/c1/memory.limit_in_bytes"));
        assertEquals("512", host.read("cpu/berth/c1/cpu.shares"), "memory goes first: nothing else was written");
        cgroups.update("/berth/c1", Limit.of().memory(50 * MIB).swap(50 * MIB).build());
        assertEquals(Long.toString(50 * MIB), host.read("memory/berth/c1/memory.limit_in_bytes"), "above the usage it is taken");
    }

    @Test
    void unlimitedMemoryLiftsMemoryPlusSwapToo() {
        cgroups.create("/berth/c1", Limit.of().memory(100 * MIB).swap(200 * MIB).build());
        cgroups.update("/berth/c1", Limit.of().memory(-1).build());
        assertEquals("-1", host.read("memory/berth/c1/memory.limit_in_bytes"));
        assertEquals("-1", host.read("memory/berth/c1/memory.memsw.limit_in_bytes"));
    }

    @Test
    void swapIsSkippedWhereTheHostDoesNotAccountIt() {
        host.kernel.swapAccounting = false;
        cgroups.create("/berth/c1", Limit.of().memory(64 * MIB).swap(128 * MIB).build());
        assertEquals("67108864", host.read("memory/berth/c1/memory.limit_in_bytes"));
        assertEquals("<missing>", host.read("memory/berth/c1/memory.memsw.limit_in_bytes"));
    }

    @Test
    void swapBelowMemoryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> cgroups.create("/berth/c1", Limit.of().memory(128 * MIB).swap(64 * MIB).build()));
        assertFalse(Files.exists(root.resolve("memory/berth")));
    }

    @Test
    void pidsMinusOneAndZeroAreMax() {
        cgroups.create("/berth/c1", Limit.of().pids(100).build());
        cgroups.update("/berth/c1", Limit.of().pids(-1).build());
        assertEquals("max", host.read("pids/berth/c1/pids.max"));
        cgroups.update("/berth/c1", Limit.of().pids(7).build());
        cgroups.update("/berth/c1", Limit.of().pids(0).build());
        assertEquals("max", host.read("pids/berth/c1/pids.max"));
    }

    @Test
    void zeroAndNullLeaveMemoryAndCpuAlone() {
        cgroups.create("/berth/c1", Limit.of().memory(64 * MIB).shares(512).build());
        cgroups.update("/berth/c1", Limit.of().memory(0).shares(0).quota(0).period(0).build());
        assertEquals("67108864", host.read("memory/berth/c1/memory.limit_in_bytes"));
        assertEquals("512", host.read("cpu/berth/c1/cpu.shares"));
        assertEquals("-1", host.read("cpu/berth/c1/cpu.cfs_quota_us"));
    }

    @Test
    void dotDotPathsAreRefusedBeforeAnythingIsMade() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cgroups.create("/berth/../../etc", Limit.of().pids(1).build()));
        assertTrue(e.getMessage().contains("/berth/../../etc"), e.getMessage());
        try (var entries = Files.walk(root)) {
            assertFalse(entries.anyMatch(p -> p.getFileName().toString().equals("berth")), "no directory made");
        }
        assertEquals(List.of(), host.kernel.writes());
    }

    @Test
    void aFailedWriteNamesTheFileAndTheValue() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> cgroups.create("/berth/c1", Limit.of().hugepages("3MB", 1048576).build()));
        assertEquals("cannot write \"1048576\" to " + root.resolve("unified/berth/c1/hugetlb.3MB.max") + ": no such file or directory",
                e.getMessage());
    }

    @Test
    void updateOfAMissingCgroupFailsNamingItAndMakesNothing() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> cgroups.update("/berth/gone", Limit.of().pids(5).build()));
        assertTrue(e.getMessage().contains("cgroup /berth/gone does not exist"), e.getMessage());
        assertFalse(Files.exists(root.resolve("pids/berth")));
    }

    @Test
    void pathsListsTheDirectoriesOfAnExistingCgroupWithoutMakingAny() {
        List<Path> created = cgroups.create("/berth/c1", CgroupResources.none());
        assertEquals(created, cgroups.paths("/berth/c1"));

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> cgroups.paths("/berth/c2"));
        assertEquals("cgroup /berth/c2 does not exist: no directory " + root.resolve("blkio/berth/c2"), e.getMessage());
        assertFalse(Files.exists(root.resolve("blkio/berth/c2")));
    }

    @Test
    void destroyRemovesTheCgroupInEveryHierarchyKeepsItsParentAndToleratesGone() {
        List<Path> dirs = cgroups.create("/berth/c1", Limit.of().memory(64 * MIB).build());

        cgroups.destroy("/berth/c1");
        dirs.forEach(dir -> assertFalse(Files.exists(dir), dir + " removed"));
        dirs.forEach(dir -> assertTrue(Files.isDirectory(dir.getParent()), dir.getParent() + " kept"));
        cgroups.destroy("/berth/c1");
        cgroups.destroy("/never/made");
    }

    @Test
    void destroyRemovesCgroupsBelowBottomUp() {
        cgroups.create("/berth/c1", CgroupResources.none());
        cgroups.create("/berth/c1/inner/deeper", CgroupResources.none());

        cgroups.destroy("/berth/c1");
        for (String hierarchy : HIERARCHIES) {
            assertFalse(Files.exists(root.resolve(hierarchy).resolve("berth/c1")), hierarchy);
        }
    }

    @Test
    void destroyRetriesWhileTheKernelDrainsTasks() {
        cgroups.create("/berth/c1", CgroupResources.none());
        host.kernel.busy(root.resolve("memory/berth/c1"), 3);

        cgroups.destroy("/berth/c1");
        assertFalse(Files.exists(root.resolve("memory/berth/c1")));
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), host.sleeps);
    }

    @Test
    void destroyGivesUpNamingTheDirectoryAndItsTasksAndStillRemovesTheOtherHierarchies() {
        cgroups.create("/berth/c1", CgroupResources.none());
        host.write("memory/berth/c1/cgroup.procs", "4242\n");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> cgroups.destroy("/berth/c1"));
        assertEquals("cannot remove cgroup " + root.resolve("memory/berth/c1") + ": Device or resource busy (processes still in it: 4242)",
                e.getMessage());
        assertEquals(CgroupTree.REMOVE_ATTEMPTS - 1, host.sleeps.size());
        assertEquals(Duration.ofMillis(500), host.sleeps.get(host.sleeps.size() - 1), "back-off is capped");
        assertFalse(Files.exists(root.resolve("cpu/berth/c1")));
        assertFalse(Files.exists(root.resolve("unified/berth/c1")));
    }

    @Test
    void limitsForAControllerNoHierarchyHasAreRefused() {
        Cgroups noHugetlb = FakeHost.empty(root.resolve("other")).v1("memory", "memory").v2("unified", "").cgroups();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> noHugetlb.create("/berth/c1", Limit.of().hugepages("2MB", MIB).build()));
        assertEquals("the limits need the hugetlb controller(s), which this host (cgroup v1 (hybrid)) does not have", e.getMessage());
    }

    @Test
    void nullResourcesMeanNone() {
        assertEquals(HIERARCHIES.size(), cgroups.create("/berth/c1", null).size());
        cgroups.update("/berth/c1", null);
    }
}
