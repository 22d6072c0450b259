package dev.berth.runtime.cgroup;

/** The memory part of {@link CgroupUsage}, as read from one hierarchy's memory files. */
record MemoryUsage(long workingSet, long usage, long rss, long pageFaults, long majorPageFaults, long swap, long cache,
        long mappedFile, long maxUsage, long failcnt, long oomKills) {

    static final MemoryUsage NONE = new MemoryUsage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Usage less the inactive file cache, which the kernel can reclaim at once. The two files are
     * read at different moments, so the difference can dip below 0: cadvisor clamps it, and so do we.
     */
    static long workingSet(long usage, long inactiveFile) {
        return Math.max(0, usage - inactiveFile);
    }
}
