package dev.berth.runtime;

/**
 * The counters of a cgroup beyond what CRI's stats messages carry, for the cAdvisor-style metrics
 * kubelet serves from ListPodSandboxMetrics. Numbers the host cannot tell are 0.
 *
 * @param cpuUserNanos, cpuSystemNanos CPU time in user and kernel mode since the cgroup was made
 * @param cpuPeriods CFS enforcement periods that elapsed (0 without a quota)
 * @param cpuThrottledPeriods of those, the periods in which the quota ran out
 * @param cpuThrottledNanos time spent throttled
 * @param memoryCacheBytes page cache
 * @param memoryMappedFileBytes memory-mapped files
 * @param memoryMaxUsageBytes the highest memory usage seen (v2: memory.peak, kernel 5.19 on)
 * @param memoryFailcnt times usage hit the limit (v1 memory.failcnt, v2 memory.events' max)
 * @param oomKills processes the OOM killer killed in the cgroup
 * @param threads tasks, as the pids controller counts them
 * @param threadsMax the pids limit (0: none)
 */
public record UsageDetail(long cpuUserNanos, long cpuSystemNanos, long cpuPeriods, long cpuThrottledPeriods,
        long cpuThrottledNanos, long memoryCacheBytes, long memoryMappedFileBytes, long memoryMaxUsageBytes, long memoryFailcnt,
        long oomKills, long threads, long threadsMax) {

    public static final UsageDetail NONE = new UsageDetail(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
