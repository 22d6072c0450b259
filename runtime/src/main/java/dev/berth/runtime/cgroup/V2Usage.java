package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.Map;

/** Usage from a cgroup v2 directory (kernel Documentation/admin-guide/cgroup-v2.rst), read as cadvisor does. */
final class V2Usage {
    private final UsageFiles files;

    V2Usage(UsageFiles files) {
        this.files = files;
    }

    /** cpu.stat, which every v2 cgroup has (its throttling lines only with the cpu controller enabled). */
    Map<String, Long> cpuStat(Path dir) {
        return files.keyed(dir, "cpu.stat");
    }

    /** usage_usec, user_usec and system_usec of cpu.stat, in nanoseconds. */
    static CpuUsage.Times times(Map<String, Long> cpuStat) {
        return new CpuUsage.Times(cpuStat.getOrDefault("usage_usec", 0L) * 1000, cpuStat.getOrDefault("user_usec", 0L) * 1000,
                cpuStat.getOrDefault("system_usec", 0L) * 1000);
    }

    static CpuUsage.Throttling throttling(Map<String, Long> cpuStat) {
        return new CpuUsage.Throttling(cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L),
                cpuStat.getOrDefault("throttled_usec", 0L) * 1000);
    }

    /**
     * memory.stat's counters already include the cgroups below, as memory.current does. memory.events'
     * max (usage hit memory.max) is v1's failcnt; memory.peak exists from kernel 5.19 on.
     */
    MemoryUsage memory(Path dir) {
        long usage = files.number(dir, "memory.current");
        Map<String, Long> stat = files.keyed(dir, "memory.stat");
        Map<String, Long> events = files.keyed(dir, "memory.events");
        return new MemoryUsage(MemoryUsage.workingSet(usage, stat.getOrDefault("inactive_file", 0L)), usage,
                stat.getOrDefault("anon", 0L), stat.getOrDefault("pgfault", 0L), stat.getOrDefault("pgmajfault", 0L),
                files.number(dir, "memory.swap.current"), stat.getOrDefault("file", 0L), stat.getOrDefault("file_mapped", 0L),
                files.number(dir, "memory.peak"), events.getOrDefault("max", 0L), events.getOrDefault("oom_kill", 0L));
    }
}
