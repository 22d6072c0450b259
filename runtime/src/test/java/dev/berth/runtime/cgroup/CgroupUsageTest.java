package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.runtime.UsageDetail;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage read the way cadvisor reads it, from the hierarchy each controller lives in. */
class CgroupUsageTest {
    private static final String C1 = "/berth/c1";

    @TempDir
    Path root;

    /** A v1 memory.stat as the kernel writes it: the cgroup's own counters, then the hierarchical totals. */
    private static String v1MemoryStat(long inactiveFile) {
        return "cache 100\nrss 200\npgfault 3\npgmajfault 1\ninactive_file 5\nhierarchical_memory_limit 9223372036854771712\n"
                + "total_cache 4096000\ntotal_rss 2048000\ntotal_mapped_file 8192\ntotal_pgfault 777\ntotal_pgmajfault 7\n"
                + "total_inactive_file " + inactiveFile + "\ntotal_active_file 1000\n";
    }

    private static String v2MemoryStat(long inactiveFile) {
        return "anon 3000000\nfile 5000000\nfile_mapped 4096\nkernel 100000\nactive_file 1000000\ninactive_file " + inactiveFile + "\n"
                + "pgfault 900\npgmajfault 9\n";
    }

    @Test
    void legacyReadsCpuacctMemoryWithTotalsSwapFromMemswAndPidsCurrent() {
        FakeHost host = FakeHost.legacy(root);
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("cpu,cpuacct/berth/c1/cpuacct.usage", "123456789\n");
        host.write("memory/berth/c1/memory.usage_in_bytes", "10000000\n");
        host.write("memory/berth/c1/memory.memsw.usage_in_bytes", "10500000\n");
        host.write("memory/berth/c1/memory.stat", v1MemoryStat(4_000_000));
        host.write("pids/berth/c1/pids.current", "3\n");
        host.write("cpu,cpuacct/berth/c1/cpuacct.stat", "user 30\nsystem 12\n");
        host.write("cpu,cpuacct/berth/c1/cpu.stat", "nr_periods 50\nnr_throttled 4\nthrottled_time 123000000\n");
        host.write("memory/berth/c1/memory.max_usage_in_bytes", "12000000\n");
        host.write("memory/berth/c1/memory.failcnt", "6\n");
        host.write("memory/berth/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        host.write("pids/berth/c1/pids.max", "100\n");

        UsageDetail detail = new UsageDetail(300_000_000, 120_000_000, 50, 4, 123_000_000, 4_096_000, 8192, 12_000_000, 6, 2, 3, 100);
        assertEquals(new CgroupUsage(123_456_789, 6_000_000, 10_000_000, 2_048_000, 777, 7, 500_000, 3, detail), cgroups.usage(C1),
                "cpuacct.stat in 1/100 s ticks, throttled_time in ns, failcnt, oom_kill, pids.max");
    }

    @Test
    void v1SwapIsZeroWhereTheHostDoesNotAccountIt() {
        FakeHost host = FakeHost.legacy(root);
        host.kernel.swapAccounting = false;
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("memory/berth/c1/memory.usage_in_bytes", "10000000\n");

        CgroupUsage usage = cgroups.usage(C1);
        assertEquals(0, usage.swapUsageBytes());
        assertEquals(10_000_000, usage.memoryUsageBytes());
    }

    @Test
    void workingSetIsClampedAtZeroWhenInactiveFileExceedsUsage() {
        FakeHost host = FakeHost.legacy(root);
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("memory/berth/c1/memory.usage_in_bytes", "1000\n");
        host.write("memory/berth/c1/memory.stat", v1MemoryStat(5000));

        assertEquals(0, cgroups.usage(C1).memoryWorkingSetBytes());
    }

    @Test
    void v1WithoutAPidsControllerCountsTheProcessesInCgroupProcs() {
        FakeHost host = FakeHost.empty(root).v1("cpuacct", "cpuacct").v1("memory", "memory");
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("cpuacct/berth/c1/cgroup.procs", "41\n42\n");
        host.write("memory/berth/c1/cgroup.procs", "41\n42\n");

        assertEquals(2, cgroups.usage(C1).processes());
    }

    @Test
    void unifiedReadsCpuStatMemoryCurrentAnonSwapCurrentAndPidsCurrent() {
        FakeHost host = FakeHost.unified(root, "cpu memory pids");
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("berth/c1/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 20\nnr_throttled 2\n"
                + "throttled_usec 3000\n");
        host.write("berth/c1/memory.current", "9000000\n");
        host.write("berth/c1/memory.stat", v2MemoryStat(2_500_000));
        host.write("berth/c1/memory.swap.current", "4096\n");
        host.write("berth/c1/memory.peak", "9500000\n");
        host.write("berth/c1/memory.events", "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n");
        host.write("berth/c1/pids.current", "5\n");

        UsageDetail detail = new UsageDetail(1_000_000, 500_000, 20, 2, 3_000_000, 5_000_000, 4096, 9_500_000, 7, 1, 5, 0);
        assertEquals(new CgroupUsage(1_500_000, 6_500_000, 9_000_000, 3_000_000, 900, 9, 4096, 5, detail), cgroups.usage(C1),
                "usec in ns, memory.events' max as failcnt, pids.max \"max\" as no limit");
    }

    @Test
    void unifiedWorkingSetIsClampedAtZero() {
        FakeHost host = FakeHost.unified(root, "cpu memory pids");
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("berth/c1/memory.current", "1000\n");
        host.write("berth/c1/memory.stat", v2MemoryStat(2000));

        assertEquals(0, cgroups.usage(C1).memoryWorkingSetBytes());
    }

    @Test
    void missingFilesReadAsZero() {
        FakeHost host = FakeHost.unified(root, "cpu memory pids");
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());

        assertEquals(CgroupUsage.NONE, cgroups.usage(C1), "no cpu.stat, memory.stat, swap or pids.current: all 0");
        assertEquals(CgroupUsage.NONE, cgroups.usage("/berth/gone"), "a cgroup that is gone has no usage");
    }

    @Test
    void hybridReadsEachControllerFromTheHierarchyThatHoldsIt() {
        FakeHost host = FakeHost.hybrid(root);
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("cpuacct/berth/c1/cpuacct.usage", "2000\n");
        host.write("unified/berth/c1/cpu.stat", "usage_usec 999999\n"); // v2's count too, but cpuacct is on v1 here
        host.write("memory/berth/c1/memory.usage_in_bytes", "8000\n");
        host.write("memory/berth/c1/memory.stat", v1MemoryStat(3000));
        host.write("pids/berth/c1/pids.current", "1\n");

        UsageDetail detail = new UsageDetail(0, 0, 0, 0, 0, 4_096_000, 8192, 0, 0, 0, 1, 0);
        assertEquals(new CgroupUsage(2000, 5000, 8000, 2_048_000, 777, 7, 0, 1, detail), cgroups.usage(C1));
    }

    @Test
    void hybridTakesWhatOnlyCgroup2HoldsFromCgroup2() {
        FakeHost host = FakeHost.empty(root).v1("memory", "memory").v2("unified", "pids");
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("unified/berth/c1/cpu.stat", "usage_usec 7\n");
        host.write("unified/berth/c1/pids.current", "4\n");

        CgroupUsage usage = cgroups.usage(C1);
        assertEquals(7000, usage.cpuUsageNanos(), "no cpuacct on v1: cgroup2's cpu.stat");
        assertEquals(4, usage.processes());
    }

    @Test
    void statLinesThatAreNoNumberAreSkippedButABadCounterFileFailsNamingIt() {
        FakeHost host = FakeHost.unified(root, "cpu memory pids");
        Cgroups cgroups = host.cgroups();
        cgroups.create(C1, CgroupResources.none());
        host.write("berth/c1/memory.stat", "anon 10\nsome_future_field a b\nodd_field x\n");
        assertEquals(10, cgroups.usage(C1).memoryRssBytes());

        host.write("berth/c1/memory.current", "lots\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cgroups.usage(C1));
        assertEquals(root.resolve("berth/c1/memory.current") + " holds \"lots\" where a number was expected", e.getMessage());
    }
}
