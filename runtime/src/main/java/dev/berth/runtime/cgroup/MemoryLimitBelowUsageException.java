package dev.berth.runtime.cgroup;

import java.nio.file.Path;

/**
 * A memory limit below what the cgroup uses, after the kernel reclaimed what it could: v1 answers
 * EBUSY; v2 would OOM-kill the cgroup's processes, so Berth asks it to reclaim and refuses the
 * same way instead. The cgroup's memory limit is left as it was.
 */
public final class MemoryLimitBelowUsageException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long requestedBytes;
    private final long usageBytes;

    public MemoryLimitBelowUsageException(Path dir, String file, long requestedBytes, long usageBytes, long peakBytes) {
        super("cannot set " + file + " of " + dir + " to " + requestedBytes + " bytes: the cgroup uses " + usageBytes
                + " bytes now" + (peakBytes > 0 ? " (peak " + peakBytes + ")" : "")
                + " and the kernel could not reclaim enough; choose a limit above its usage, or free memory in it first");
        this.requestedBytes = requestedBytes;
        this.usageBytes = usageBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    public long usageBytes() {
        return usageBytes;
    }
}
