package dev.berth.runtime.cgroup;

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
            files.write(dir, "memory.max", Limits.max(r.memoryLimitBytes()));
        }
        String swapMax = Limits.swapMax(r.memoryLimitBytes(), r.memorySwapLimitBytes());
        if (swapMax != null && files.has(dir, "memory.swap.max")) {
            files.write(dir, "memory.swap.max", swapMax);
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
