package dev.berth.runtime;

import java.time.Instant;

/**
 * A container's resource usage now, read from its cgroups. Fields the host cannot tell are 0.
 * Memory follows cadvisor: the working set is usage less inactive file cache, what kubelet evicts on.
 */
public record ContainerUsage(Instant timestamp, long cpuUsageNanos, long memoryWorkingSetBytes, long memoryUsageBytes,
        long memoryRssBytes, long memoryPageFaults, long memoryMajorPageFaults, long swapUsageBytes, long processes) {}
