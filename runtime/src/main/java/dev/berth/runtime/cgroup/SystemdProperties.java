package dev.berth.runtime.cgroup;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The unit properties the systemd driver sends, as runc sends them (systemd.resource-control(5)):
 * the unit's place and accounting, and every limit systemd can express in the names of the host's
 * cgroup version. systemd writes these into the unit's cgroup itself, and again whenever it
 * reloads, so they must agree with what the cgroupfs writers put there; what systemd cannot
 * express (hugetlb, v1 swap, other {@code unified} keys) only the cgroupfs writers set.
 */
final class SystemdProperties {
    /** The kernel's default CFS period, assumed when a quota comes without one. */
    static final long DEFAULT_PERIOD_MICROS = 100_000;
    /** CPUQuotaPeriodUSec exists since systemd 242, AllowedCPUs and AllowedMemoryNodes since 244. */
    static final int PERIOD_SINCE = 242;
    static final int CPUSET_SINCE = 244;

    private SystemdProperties() {}

    /** A transient scope for a container's processes: in its slice, delegated, holding {@code pid}. */
    static List<UnitProperty> scope(SystemdUnit unit, long pid, boolean unified) {
        List<UnitProperty> props = new ArrayList<>();
        props.add(UnitProperty.string("Description", "berth container " + unit.unit()));
        props.add(UnitProperty.string("Slice", unit.slice()));
        // Delegate: the cgroup below the scope is Berth's; systemd leaves its sub-cgroups alone.
        props.add(UnitProperty.bool("Delegate", true));
        props.add(UnitProperty.uint32s("PIDs", List.of(pid)));
        props.addAll(common(unified));
        return props;
    }

    /** A slice unit (a pod-level cgroup), pulled in by its parent slice; a slice holds no processes. */
    static List<UnitProperty> slice(SystemdUnit unit, boolean unified) {
        List<UnitProperty> props = new ArrayList<>();
        props.add(UnitProperty.string("Description", "berth slice " + unit.unit()));
        props.add(UnitProperty.strings("Wants", List.of(unit.slice())));
        props.addAll(common(unified));
        return props;
    }

    /**
     * Accounting on, so systemd makes the unit's cgroup in every controller it manages (and the
     * kernel need not move charged memory later); no default dependencies, so the unit is not
     * stopped with the "shutdown" ordering of ordinary services.
     */
    private static List<UnitProperty> common(boolean unified) {
        return List.of(
                UnitProperty.bool("MemoryAccounting", true),
                UnitProperty.bool("CPUAccounting", true),
                UnitProperty.bool(unified ? "IOAccounting" : "BlockIOAccounting", true),
                UnitProperty.bool("TasksAccounting", true),
                UnitProperty.bool("DefaultDependencies", false));
    }

    /**
     * The limits of {@code r} as properties: v2 names on a unified host, v1 names otherwise (systemd
     * on a hybrid host puts memory and cpu on v1). Properties newer than {@code systemdVersion} are
     * left to the cgroupfs writers, as runc does.
     */
    static List<UnitProperty> resources(CgroupResources r, boolean unified, int systemdVersion) {
        List<UnitProperty> props = new ArrayList<>();
        if (Limits.set(r.memoryLimitBytes())) {
            props.add(UnitProperty.uint64(unified ? "MemoryMax" : "MemoryLimit", limit(r.memoryLimitBytes())));
        }
        if (unified) {
            String swap = Limits.swapMax(r.memoryLimitBytes(), r.memorySwapLimitBytes());
            if (swap != null) {
                props.add(UnitProperty.uint64("MemorySwapMax", swap.equals("max") ? UnitProperty.INFINITY : Long.parseLong(swap)));
            }
        }
        if (Limits.set(r.cpuShares())) {
            props.add(unified ? UnitProperty.uint64("CPUWeight", Limits.cpuWeight(r.cpuShares()))
                    : UnitProperty.uint64("CPUShares", r.cpuShares()));
        }
        cpuQuota(props, r.cpuQuotaMicros(), r.cpuPeriodMicros(), systemdVersion);
        if (r.pidsLimit() != null) {
            props.add(UnitProperty.uint64("TasksMax", r.pidsLimit() <= 0 ? UnitProperty.INFINITY : r.pidsLimit()));
        }
        if (systemdVersion >= CPUSET_SINCE) {
            if (Limits.hasText(r.cpusetCpus())) {
                props.add(UnitProperty.bytes("AllowedCPUs", cpuMask(r.cpusetCpus(), "cpusetCpus")));
            }
            if (Limits.hasText(r.cpusetMems())) {
                props.add(UnitProperty.bytes("AllowedMemoryNodes", cpuMask(r.cpusetMems(), "cpusetMems")));
            }
        }
        if (unified) {
            r.unified().forEach((key, value) -> unifiedKey(props, key, value.strip(), systemdVersion));
        }
        return props;
    }

    /**
     * CPUQuotaPerSecUSec is CPU time per second of wall time: quota * 1 s / period. systemd keeps it
     * as a whole percentage, so it is rounded up to the next 10 ms: a cgroup below may then still
     * get exactly the quota asked for (runc's rounding). A period alone, or an unlimited quota,
     * lifts the quota ("infinity"), as in runc.
     */
    static void cpuQuota(List<UnitProperty> props, Long quota, Long period, int systemdVersion) {
        boolean quotaSet = Limits.set(quota);
        boolean periodSet = Limits.set(period);
        if (periodSet && systemdVersion >= PERIOD_SINCE) {
            props.add(UnitProperty.uint64("CPUQuotaPeriodUSec", period));
        }
        if (quotaSet || periodSet) {
            props.add(UnitProperty.uint64("CPUQuotaPerSecUSec", quotaSet && quota > 0
                    ? quotaPerSecond(quota, periodSet ? period : DEFAULT_PERIOD_MICROS) : UnitProperty.INFINITY));
        }
    }

    static long quotaPerSecond(long quotaMicros, long periodMicros) {
        long perSecond = Math.multiplyExact(quotaMicros, 1_000_000L) / periodMicros;
        return perSecond % 10_000 == 0 ? perSecond : (perSecond / 10_000 + 1) * 10_000;
    }

    /**
     * A cpuset list ("0-3,7") as systemd's CPU mask bytes: byte i holds CPUs 8i to 8i+7, lowest
     * bit first, with no trailing zero bytes (as systemd's cpu_set_to_dbus and runc's RangeToBits).
     */
    static List<Integer> cpuMask(String list, String what) {
        BitSet bits = new BitSet();
        for (String part : list.split(",")) {
            String range = part.strip();
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            int first = index(dash < 0 ? range : range.substring(0, dash), list, what);
            int last = dash < 0 ? first : index(range.substring(dash + 1), list, what);
            if (first > last) {
                throw new IllegalArgumentException(what + " \"" + list + "\" has the range " + range + " whose end is below its start");
            }
            bits.set(first, last + 1);
        }
        if (bits.isEmpty()) {
            throw new IllegalArgumentException(what + " \"" + list + "\" names no CPU or memory node; use a list such as 0-3,7");
        }
        List<Integer> mask = new ArrayList<>();
        for (byte b : bits.toByteArray()) {
            mask.add(b & 0xff);
        }
        return mask;
    }

    /** A systemd limit: -1 (unlimited) is "infinity". */
    private static long limit(long value) {
        return value == -1 ? UnitProperty.INFINITY : value;
    }

    private static int index(String number, String list, String what) {
        try {
            int value = Integer.parseInt(number.strip());
            if (value < 0 || value > 65_535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + list + "\" is not a list of numbers and ranges such as 0-3,7");
        }
    }

    /**
     * The {@code unified} keys systemd also manages, converted as runc converts them, so that
     * systemd does not put back its own value on reload; other keys only go to the files.
     */
    private static void unifiedKey(List<UnitProperty> props, String key, String value, int systemdVersion) {
        Map<String, String> memory = Map.of("memory.high", "MemoryHigh", "memory.low", "MemoryLow", "memory.min", "MemoryMin",
                "memory.max", "MemoryMax", "memory.swap.max", "MemorySwapMax");
        if (memory.containsKey(key) || key.equals("pids.max")) {
            props.add(UnitProperty.uint64(key.equals("pids.max") ? "TasksMax" : memory.get(key), maxOrNumber(key, value)));
        } else if (key.equals("cpu.weight")) {
            props.add(UnitProperty.uint64("CPUWeight", number(key, value)));
        } else if (key.equals("cpu.max")) {
            String[] fields = value.split("\\s+");
            if (fields.length > 2) {
                throw new IllegalArgumentException("unified cpu.max \"" + value + "\" must be \"<quota|max> [period]\"");
            }
            long quota = fields[0].equals("max") ? -1 : number(key, fields[0]);
            long period = fields.length == 2 ? number(key, fields[1]) : DEFAULT_PERIOD_MICROS;
            cpuQuota(props, quota, period, systemdVersion);
        } else if ((key.equals("cpuset.cpus") || key.equals("cpuset.mems")) && systemdVersion >= CPUSET_SINCE) {
            props.add(UnitProperty.bytes(key.equals("cpuset.cpus") ? "AllowedCPUs" : "AllowedMemoryNodes", cpuMask(value, "unified " + key)));
        }
    }

    private static long maxOrNumber(String key, String value) {
        return value.equals("max") ? UnitProperty.INFINITY : number(key, value);
    }

    private static long number(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unified " + key + " \"" + value + "\" is not a number" + (key.startsWith("cpu.") ? "" : " or max"));
        }
    }
}
