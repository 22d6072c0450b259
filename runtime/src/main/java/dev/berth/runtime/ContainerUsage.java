package dev.berth.runtime;

import java.time.Instant;

/**
 * A container's resource usage now, read from its cgroups. Fields the host cannot tell are 0.
 * Memory follows cadvisor: the working set is usage less inactive file cache, what kubelet evicts on.
 * {@code detail} holds the counters only metrics report.
 */
public record ContainerUsage(Instant timestamp, long cpuUsageNanos, long memoryWorkingSetBytes, long memoryUsageBytes,
        long memoryRssBytes, long memoryPageFaults, long memoryMajorPageFaults, long swapUsageBytes, long processes,
        UsageDetail detail) {

    /** A reading without the metrics' counters. */
    public ContainerUsage(Instant timestamp, long cpuUsageNanos, long memoryWorkingSetBytes, long memoryUsageBytes,
            long memoryRssBytes, long memoryPageFaults, long memoryMajorPageFaults, long swapUsageBytes, long processes) {
        this(timestamp, cpuUsageNanos, memoryWorkingSetBytes, memoryUsageBytes, memoryRssBytes, memoryPageFaults,
                memoryMajorPageFaults, swapUsageBytes, processes, UsageDetail.NONE);
    }
}
