package dev.berth.runtime.cgroup;

/**
 * The CPU part of {@link CgroupUsage}: time used (the accounting controller, cpuacct on v1) and CFS
 * throttling (the cpu controller, which v1 may mount elsewhere), all in nanoseconds or counts.
 */
record CpuUsage(long total, long user, long system, long periods, long throttledPeriods, long throttledNanos) {

    /** Time used, as cpuacct (v1) or cpu.stat (v2) counts it. */
    record Times(long total, long user, long system) {
        static final Times NONE = new Times(0, 0, 0);
    }

    /** CFS bandwidth control: periods elapsed, periods throttled, time throttled. */
    record Throttling(long periods, long throttledPeriods, long throttledNanos) {
        static final Throttling NONE = new Throttling(0, 0, 0);
    }

    static CpuUsage of(Times times, Throttling throttling) {
        return new CpuUsage(times.total(), times.user(), times.system(), throttling.periods(), throttling.throttledPeriods(),
                throttling.throttledNanos());
    }
}
