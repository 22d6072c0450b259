package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.HugepageLimit;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CRI {@code LinuxContainerResources} as OCI {@code linux.resources}. Zero means unset (the
 * CRI's convention); -1 means unlimited for the memory, swap and CPU quota values (the
 * runtime's convention, as in cgroup v1); other negative values are refused. Without a swap
 * value, swap is capped at the memory limit so the container does not swap (as containerd;
 * the runtime skips it where the kernel does not account swap).
 */
final class ContainerResources {
    private static final Pattern CPU_LIST = Pattern.compile("(\\d+(-\\d+)?)(,\\d+(-\\d+)?)*");
    private static final Pattern PAGE_SIZE = Pattern.compile("\\d+[KMGTP]B");

    private ContainerResources() {}

    /** Null when {@code r} is null. */
    static Spec.Resources of(LinuxContainerResources r) {
        Spec.Resources parsed = parse(r, "resources.");
        if (parsed == null || parsed.memory() == null) {
            return parsed;
        }
        Spec.Memory m = parsed.memory();
        Long swap = m.swap() == null && m.limit() != null && m.limit() > 0 ? m.limit() : m.swap();
        return new Spec.Resources(new Spec.Memory(m.limit(), null, swap, null, null), parsed.cpu(), parsed.pids(),
                parsed.hugepageLimits(), parsed.unified());
    }

    /** Checked and converted as given, no swap added; {@code prefix} names the field in messages ("resources."). Null for null. */
    static Spec.Resources parse(LinuxContainerResources r, String prefix) {
        if (r == null) {
            return null;
        }
        Long limit = unlimitedOrPositive(r.getMemoryLimitInBytes(), prefix + "memory_limit_in_bytes");
        Long swap = unlimitedOrPositive(r.getMemorySwapLimitInBytes(), prefix + "memory_swap_limit_in_bytes");
        if (limit != null && swap != null && limit > 0 && swap > 0 && swap < limit) {
            throw new SpecException(prefix + "memory_swap_limit_in_bytes " + swap + " is below memory_limit_in_bytes " + limit
                    + "; it is the total of memory and swap, so set it to at least the memory limit");
        }
        Spec.Memory memory = limit == null && swap == null ? null : new Spec.Memory(limit, null, swap, null, null);
        Long shares = positive(r.getCpuShares(), prefix + "cpu_shares");
        Long quota = unlimitedOrPositive(r.getCpuQuota(), prefix + "cpu_quota");
        Long period = positive(r.getCpuPeriod(), prefix + "cpu_period");
        String cpus = cpuList(r.getCpusetCpus(), prefix + "cpuset_cpus");
        String mems = cpuList(r.getCpusetMems(), prefix + "cpuset_mems");
        Spec.Cpu cpu = shares == null && quota == null && period == null && cpus == null && mems == null ? null
                : new Spec.Cpu(shares, quota, period, cpus, mems);
        return new Spec.Resources(memory, cpu, null, hugepages(r.getHugepageLimitsList(), prefix), unified(r.getUnifiedMap(), prefix));
    }

    private static Long positive(long value, String field) {
        if (value < 0) {
            throw new SpecException(field + " is " + value + "; use a positive value, or 0 for unset");
        }
        return value == 0 ? null : value;
    }

    private static Long unlimitedOrPositive(long value, String field) {
        if (value < -1) {
            throw new SpecException(field + " is " + value + "; use a positive value, -1 for unlimited or 0 for unset");
        }
        return value == 0 ? null : value;
    }

    private static String cpuList(String value, String field) {
        String trimmed = value.replace(" ", "");
        if (trimmed.isEmpty()) {
            return null;
        }
        if (!CPU_LIST.matcher(trimmed).matches()) {
            throw new SpecException(field + " is \"" + value + "\"; use a list such as 0-3,6");
        }
        return trimmed;
    }

    private static List<Spec.HugepageLimit> hugepages(List<HugepageLimit> limits, String prefix) {
        if (limits.isEmpty()) {
            return null;
        }
        List<Spec.HugepageLimit> out = new ArrayList<>();
        for (HugepageLimit h : limits) {
            if (!PAGE_SIZE.matcher(h.getPageSize()).matches()) {
                throw new SpecException(prefix + "hugepage_limits: page_size \"" + h.getPageSize()
                        + "\" is not a size such as 2MB or 1GB");
            }
            if (h.getLimit() < 0) { // a uint64 above 2^63: no machine has that much
                throw new SpecException(prefix + "hugepage_limits: limit " + Long.toUnsignedString(h.getLimit())
                        + " for " + h.getPageSize() + " is too large");
            }
            out.add(new Spec.HugepageLimit(h.getPageSize(), h.getLimit()));
        }
        return List.copyOf(out);
    }

    /** Keys are cgroup v2 file names, so a '/' could reach outside the container's cgroup. */
    private static Map<String, String> unified(Map<String, String> unified, String prefix) {
        if (unified.isEmpty()) {
            return null;
        }
        for (String key : unified.keySet()) {
            if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
                throw new SpecException(prefix + "unified: key \"" + key + "\" is not a cgroup v2 file name such as memory.high");
            }
        }
        return Map.copyOf(unified);
    }
}
