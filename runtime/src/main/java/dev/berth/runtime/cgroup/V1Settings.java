package dev.berth.runtime.cgroup;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Resources to cgroup v1 control files, one controller at a time (kernel Documentation/admin-guide/cgroup-v1). */
final class V1Settings {
    static final String MEMORY_LIMIT = "memory.limit_in_bytes";
    static final String MEMSW_LIMIT = "memory.memsw.limit_in_bytes";

    private final ControlFiles files;

    V1Settings(ControlFiles files) {
        this.files = files;
    }

    /** Writes the limits of {@code controller} into {@code dir}, that controller's directory of the cgroup. */
    void apply(String controller, Path dir, CgroupResources r) {
        switch (controller) {
            case "memory" -> memory(dir, r);
            case "cpu" -> cpu(dir, r);
            case "cpuset" -> SharedSettings.cpuset(files, dir, r);
            case "pids" -> files.write(dir, "pids.max", Limits.pids(r.pidsLimit()));
            case "hugetlb" -> SharedSettings.hugetlb(files, dir, r.hugepageLimits(), "limit_in_bytes");
            default -> throw new IllegalStateException("no v1 settings for controller " + controller);
        }
    }

    /**
     * The kernel keeps memory.limit_in_bytes at most memory.memsw.limit_in_bytes at every step, so
     * when both change, the one that makes room goes first: memsw when growing, the limit when
     * shrinking. Unlimited memory with no swap value lifts memsw too (as runc does), else the
     * kernel would refuse it. Hosts that do not account swap have no memsw file: swap is skipped.
     */
    private void memory(Path dir, CgroupResources r) {
        Long limit = Limits.set(r.memoryLimitBytes()) ? r.memoryLimitBytes() : null;
        Long swap = Limits.set(r.memorySwapLimitBytes()) ? r.memorySwapLimitBytes() : null;
        boolean accountsSwap = files.has(dir, MEMSW_LIMIT);
        if (swap == null && limit != null && limit == -1) {
            swap = -1L;
        }
        if (!accountsSwap) {
            swap = null;
        }
        if (limit != null && swap != null) {
            if (grows(limit, files.read(dir, MEMORY_LIMIT))) {
                writeLimit(dir, MEMSW_LIMIT, swap);
                writeLimit(dir, MEMORY_LIMIT, limit);
            } else {
                writeLimit(dir, MEMORY_LIMIT, limit);
                writeLimit(dir, MEMSW_LIMIT, swap);
            }
        } else if (limit != null) {
            writeLimit(dir, MEMORY_LIMIT, limit);
        } else if (swap != null) {
            writeLimit(dir, MEMSW_LIMIT, swap);
        }
    }

    /**
     * The kernel reclaims down to a lower limit and answers EBUSY when it cannot: then the limit
     * is below what the cgroup uses, said with the usage (as runc does). The write changed nothing.
     */
    private void writeLimit(Path dir, String file, long bytes) {
        try {
            files.write(dir, file, Long.toString(bytes));
        } catch (UncheckedIOException e) {
            if (!ControlFiles.busy(e)) {
                throw e;
            }
            String counter = file.replace("limit_in_bytes", "");
            throw new MemoryLimitBelowUsageException(dir, file, bytes, files.number(dir, counter + "usage_in_bytes"),
                    files.number(dir, counter + "max_usage_in_bytes"));
        }
    }

    private static boolean grows(long limit, String current) {
        try {
            return limit == -1 || limit > Long.parseLong(current);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * A new period may be refused until the quota fits it (and the other way round), so when the
     * period is refused it is written again after the quota, as runc does.
     */
    private void cpu(Path dir, CgroupResources r) {
        if (Limits.set(r.cpuShares())) {
            files.write(dir, "cpu.shares", Long.toString(r.cpuShares()));
        }
        boolean period = Limits.set(r.cpuPeriodMicros());
        boolean periodPending = false;
        if (period) {
            try {
                files.write(dir, "cpu.cfs_period_us", Long.toString(r.cpuPeriodMicros()));
            } catch (UncheckedIOException refused) {
                periodPending = true;
            }
        }
        if (Limits.set(r.cpuQuotaMicros())) {
            files.write(dir, "cpu.cfs_quota_us", Long.toString(r.cpuQuotaMicros()));
        }
        if (periodPending) {
            files.write(dir, "cpu.cfs_period_us", Long.toString(r.cpuPeriodMicros()));
        }
    }


}
