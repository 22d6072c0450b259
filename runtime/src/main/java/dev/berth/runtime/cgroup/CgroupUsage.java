package dev.berth.runtime.cgroup;

import dev.berth.runtime.UsageDetail;

/**
 * A cgroup's resource usage now, computed as cadvisor and containerd do (kubelet evicts on the
 * working set, so it must match theirs). Numbers the host cannot tell (no such controller, no swap
 * accounting, a file missing) are 0.
 *
 * @param cpuUsageNanos CPU time used since the cgroup was made
 * @param memoryWorkingSetBytes memory usage less the inactive page cache (never below 0)
 * @param memoryUsageBytes memory charged to the cgroup, page cache included
 * @param memoryRssBytes anonymous memory
 * @param memoryPageFaults page faults
 * @param memoryMajorPageFaults page faults that needed I/O
 * @param swapUsageBytes swap used
 * @param processes processes (v1 without a pids controller: those in cgroup.procs)
 * @param detail the counters only metrics report (CPU modes, throttling, cache, OOM kills, threads)
 */
public record CgroupUsage(long cpuUsageNanos, long memoryWorkingSetBytes, long memoryUsageBytes, long memoryRssBytes,
        long memoryPageFaults, long memoryMajorPageFaults, long swapUsageBytes, long processes, UsageDetail detail) {

    /** No cgroups to read. */
    public static final CgroupUsage NONE = new CgroupUsage(0, 0, 0, 0, 0, 0, 0, 0);

    /** A reading without the metrics' counters. */
    public CgroupUsage(long cpuUsageNanos, long memoryWorkingSetBytes, long memoryUsageBytes, long memoryRssBytes,
            long memoryPageFaults, long memoryMajorPageFaults, long swapUsageBytes, long processes) {
        this(cpuUsageNanos, memoryWorkingSetBytes, memoryUsageBytes, memoryRssBytes, memoryPageFaults, memoryMajorPageFaults,
                swapUsageBytes, processes, UsageDetail.NONE);
    }
}
