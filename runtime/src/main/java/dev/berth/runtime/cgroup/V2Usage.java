package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.Map;

/** Usage from a cgroup v2 directory (kernel Documentation/admin-guide/cgroup-v2.rst), read as cadvisor does. */
final class V2Usage {
    private final UsageFiles files;

    V2Usage(UsageFiles files) {
        this.files = files;
    }

    /** cpu.stat's usage_usec, which every v2 cgroup has (the cpu controller need not be enabled). */
    long cpu(Path dir) {
        return files.keyed(dir, "cpu.stat").getOrDefault("usage_usec", 0L) * 1000;
    }

    /** memory.stat's counters already include the cgroups below, as memory.current does. */
    MemoryUsage memory(Path dir) {
        long usage = files.number(dir, "memory.current");
        Map<String, Long> stat = files.keyed(dir, "memory.stat");
        return new MemoryUsage(MemoryUsage.workingSet(usage, stat.getOrDefault("inactive_file", 0L)), usage,
                stat.getOrDefault("anon", 0L), stat.getOrDefault("pgfault", 0L), stat.getOrDefault("pgmajfault", 0L),
                files.number(dir, "memory.swap.current"));
    }

    long pids(Path dir) {
        return files.number(dir, "pids.current");
    }
}
