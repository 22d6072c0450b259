package dev.berth.runtime.cgroup;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Resources to cgroup v2 control files, one controller at a time (kernel Documentation/admin-guide/cgroup-v2.rst). */
final class V2Settings {
    private final ControlFiles files;

    V2Settings(ControlFiles files) {
        this.files = files;
    }

    /** Writes the limits of {@code controller} into {@code dir}, the cgroup's v2 directory. */
    void apply(String controller, Path dir, CgroupResources r) {
        switch (controller) {
            case "memory" -> memory(dir, r);
            case "cpu" -> cpu(dir, r);
            case "cpuset" -> SharedSettings.cpuset(files, dir, r);
            case "pids" -> files.write(dir, "pids.max", Limits.pids(r.pidsLimit()));
            case "hugetlb" -> SharedSettings.hugetlb(files, dir, r.hugepageLimits(), "max");
            default -> throw new IllegalStateException("no v2 settings for controller " + controller);
        }
    }

    /** The {@code unified} map, verbatim; its keys were checked to be file names of present controllers. */
    void unified(Path dir, Map<String, String> settings) {
        settings.forEach((file, value) -> files.write(dir, file, value));
    }

    /** memory.swap.max exists only where the kernel accounts swap; elsewhere the swap limit is skipped, as on v1. */
    private void memory(Path dir, CgroupResources r) {
        if (Limits.set(r.memoryLimitBytes())) {
            if (r.memoryLimitBytes() > 0) {
                makeRoom(dir, r.memoryLimitBytes());
            }
            files.write(dir, "memory.max", Limits.max(r.memoryLimitBytes()));
        }
        String swapMax = Limits.swapMax(r.memoryLimitBytes(), r.memorySwapLimitBytes());
        if (swapMax != null && files.has(dir, "memory.swap.max")) {
            files.write(dir, "memory.swap.max", swapMax);
        }
    }

    /**
     * A memory.max below memory.current makes the kernel reclaim and then OOM-kill the cgroup's
     * processes (v1 refuses with EBUSY instead, and runc passes both on). Berth keeps v1's
     * answer on v2: it asks the kernel to reclaim the difference (memory.reclaim, Linux 5.19+)
     * and refuses the limit if the usage stays above it. Usage can still grow between this check
     * and the write; the check is a guard, not a guarantee.
     */
    private void makeRoom(Path dir, long limit) {
        long usage = files.number(dir, "memory.current");
        if (usage <= limit) {
            return;
        }
        if (files.has(dir, "memory.reclaim")) {
            try {
                files.write(dir, "memory.reclaim", Long.toString(usage - limit));
            } catch (UncheckedIOException partly) {
                // EAGAIN: it reclaimed less than asked; the usage read next says whether that was enough
            }
            usage = files.number(dir, "memory.current");
        }
        if (usage > limit) {
            throw new MemoryLimitBelowUsageException(dir, "memory.max", limit, usage, files.number(dir, "memory.peak"));
        }
    }

    /** cpu.max is "$QUOTA $PERIOD"; a new period alone keeps the current quota. */
    private void cpu(Path dir, CgroupResources r) {
        if (Limits.set(r.cpuShares())) {
            files.write(dir, "cpu.weight", Long.toString(Limits.cpuWeight(r.cpuShares())));
        }
        boolean quota = Limits.set(r.cpuQuotaMicros());
        boolean period = Limits.set(r.cpuPeriodMicros());
        if (quota || period) {
            String quotaText = quota ? Limits.max(r.cpuQuotaMicros()) : files.read(dir, "cpu.max").split("\\s+")[0];
            files.write(dir, "cpu.max", period ? quotaText + " " + r.cpuPeriodMicros() : quotaText);
        }
    }


}
