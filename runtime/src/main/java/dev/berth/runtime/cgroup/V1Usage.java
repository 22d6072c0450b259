package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.Map;

/** Usage from cgroup v1 control files (kernel Documentation/admin-guide/cgroup-v1), read as cadvisor does. */
final class V1Usage {
    private final UsageFiles files;

    V1Usage(UsageFiles files) {
        this.files = files;
    }

    /** cpuacct.usage: nanoseconds of CPU time. */
    long cpu(Path cpuacctDir) {
        return files.number(cpuacctDir, "cpuacct.usage");
    }

    /**
     * The {@code total_} counters of memory.stat count the cgroups below too, like usage_in_bytes.
     * memsw counts memory plus swap: swap is the difference, where the host accounts swap at all.
     */
    MemoryUsage memory(Path memoryDir) {
        long usage = files.number(memoryDir, "memory.usage_in_bytes");
        Map<String, Long> stat = files.keyed(memoryDir, "memory.stat");
        long swap = files.has(memoryDir, "memory.memsw.usage_in_bytes")
                ? Math.max(0, files.number(memoryDir, "memory.memsw.usage_in_bytes") - usage)
                : 0;
        return new MemoryUsage(MemoryUsage.workingSet(usage, stat.getOrDefault("total_inactive_file", 0L)), usage,
                stat.getOrDefault("total_rss", 0L), stat.getOrDefault("total_pgfault", 0L),
                stat.getOrDefault("total_pgmajfault", 0L), swap);
    }

    long pids(Path pidsDir) {
        return files.number(pidsDir, "pids.current");
    }
}
