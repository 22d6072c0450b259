package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.Map;

/** Usage from cgroup v1 control files (kernel Documentation/admin-guide/cgroup-v1), read as cadvisor does. */
final class V1Usage {
    /** USER_HZ: the kernel reports cpuacct.stat in these ticks, fixed at 100 a second for user space on Linux. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private final UsageFiles files;

    V1Usage(UsageFiles files) {
        this.files = files;
    }

    /** cpuacct.usage: nanoseconds of CPU time; cpuacct.stat: its user and system parts in ticks (runc reads the same). */
    CpuUsage.Times cpu(Path cpuacctDir) {
        Map<String, Long> stat = files.keyed(cpuacctDir, "cpuacct.stat");
        return new CpuUsage.Times(files.number(cpuacctDir, "cpuacct.usage"), stat.getOrDefault("user", 0L) * NANOS_PER_TICK,
                stat.getOrDefault("system", 0L) * NANOS_PER_TICK);
    }

    /** The cpu controller's cpu.stat: throttled_time is in nanoseconds on v1. */
    CpuUsage.Throttling throttling(Path cpuDir) {
        Map<String, Long> stat = files.keyed(cpuDir, "cpu.stat");
        return new CpuUsage.Throttling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                stat.getOrDefault("throttled_time", 0L));
    }

    /**
     * The {@code total_} counters of memory.stat count the cgroups below too, like usage_in_bytes.
     * memsw counts memory plus swap: swap is the difference, where the host accounts swap at all.
     * oom_control's oom_kill exists from kernel 4.13 on.
     */
    MemoryUsage memory(Path memoryDir) {
        long usage = files.number(memoryDir, "memory.usage_in_bytes");
        Map<String, Long> stat = files.keyed(memoryDir, "memory.stat");
        long swap = files.has(memoryDir, "memory.memsw.usage_in_bytes")
                ? Math.max(0, files.number(memoryDir, "memory.memsw.usage_in_bytes") - usage)
                : 0;
        return new MemoryUsage(MemoryUsage.workingSet(usage, stat.getOrDefault("total_inactive_file", 0L)), usage,
                stat.getOrDefault("total_rss", 0L), stat.getOrDefault("total_pgfault", 0L),
                stat.getOrDefault("total_pgmajfault", 0L), swap, stat.getOrDefault("total_cache", 0L),
                stat.getOrDefault("total_mapped_file", 0L), files.number(memoryDir, "memory.max_usage_in_bytes"),
                files.number(memoryDir, "memory.failcnt"), files.keyed(memoryDir, "memory.oom_control").getOrDefault("oom_kill", 0L));
    }
}
