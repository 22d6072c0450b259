package dev.berth.runtime.cgroup;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The limits of one cgroup, in OCI terms (runtime-spec config-linux.md, "Control groups").
 *
 * <p>Every field is optional: {@code null} leaves the cgroup's current value alone. As in runc,
 * {@code 0} also means "not set" for the memory, swap and cpu numbers (CRI sends 0 for "unset").
 * {@code -1} means unlimited for memory, swap, cpu quota and pids.
 *
 * @param memoryLimitBytes v1 {@code memory.limit_in_bytes}, v2 {@code memory.max}
 * @param memorySwapLimitBytes memory <em>plus</em> swap, as OCI defines it: v1 {@code memory.memsw.limit_in_bytes}
 *     (skipped when the host does not account swap), v2 {@code memory.swap.max} = this minus the memory limit
 * @param cpuShares v1 {@code cpu.shares}; v2 {@code cpu.weight = 1 + ((shares - 2) * 9999) / 262142}
 * @param cpuQuotaMicros v1 {@code cpu.cfs_quota_us}; v2 first field of {@code cpu.max}
 * @param cpuPeriodMicros v1 {@code cpu.cfs_period_us}; v2 second field of {@code cpu.max}
 * @param cpusetCpus {@code cpuset.cpus}, e.g. "0-3,7"
 * @param cpusetMems {@code cpuset.mems}
 * @param pidsLimit {@code pids.max}; -1 and 0 write "max"
 * @param hugepageLimits page size ("64KB", "2MB", "1GB") to a byte limit: v1 {@code hugetlb.<size>.limit_in_bytes},
 *     v2 {@code hugetlb.<size>.max} (and the {@code rsvd} file too where the kernel has it)
 * @param unified cgroup v2 file name to value, written verbatim into the cgroup's v2 directory; refused
 *     where the file's controller is not on a cgroup v2 hierarchy
 */
public record CgroupResources(
        Long memoryLimitBytes,
        Long memorySwapLimitBytes,
        Long cpuShares,
        Long cpuQuotaMicros,
        Long cpuPeriodMicros,
        String cpusetCpus,
        String cpusetMems,
        Long pidsLimit,
        Map<String, Long> hugepageLimits,
        Map<String, String> unified) {

    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]*[KMGTP]B");

    public CgroupResources {
        hugepageLimits = sorted(hugepageLimits, "hugepageLimits");
        unified = sorted(unified, "unified");
        atLeast(-1, memoryLimitBytes, "memoryLimitBytes");
        atLeast(-1, memorySwapLimitBytes, "memorySwapLimitBytes");
        atLeast(0, cpuShares, "cpuShares");
        atLeast(-1, cpuQuotaMicros, "cpuQuotaMicros");
        atLeast(0, cpuPeriodMicros, "cpuPeriodMicros");
        atLeast(-1, pidsLimit, "pidsLimit");
        hugepageLimits.forEach((size, bytes) -> {
            if (!PAGE_SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("hugepage size \"" + size + "\" is not of the form <number><K|M|G>B, e.g. 2MB");
            }
            atLeast(0, bytes, "hugepage limit for " + size);
        });
        for (String key : unified.keySet()) {
            if (key.isEmpty() || key.contains("/") || key.contains("..") || key.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("unified key \"" + key
                        + "\" must be a plain cgroup v2 file name such as memory.high (no '/', no '..')");
            }
        }
    }

    /** No limits: creating a cgroup with these only makes the directories. */
    public static CgroupResources none() {
        return new CgroupResources(null, null, null, null, null, null, null, null, Map.of(), Map.of());
    }

    private static void atLeast(long min, Long value, String name) {
        if (value != null && value < min) {
            throw new IllegalArgumentException(name + " is " + value + "; it must be at least " + min
                    + (min == -1 ? " (-1 means unlimited)" : ""));
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> map, String what) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, V> copy = new TreeMap<>();
        map.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(what + " has a null key or value: " + map);
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
