package dev.berth.runtime.cgroup;

/** Conversions of OCI values to control file values, shared by the v1 and v2 settings. */
final class Limits {
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;

    private Limits() {}

    /** Whether a memory or cpu number is set: null and 0 mean "leave alone", as in runc. */
    static boolean set(Long value) {
        return value != null && value != 0;
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** pids.max: -1 (and 0, taken as "no limit") are "max". */
    static String pids(long limit) {
        return limit <= 0 ? "max" : Long.toString(limit);
    }

    /** A v2 limit: -1 is "max". */
    static String max(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }

    /**
     * cpu.weight from cpu.shares, the formula of runc and kubelet: shares [2, 262144] onto weight
     * [1, 10000], so 1024 (one CPU's default) becomes 39. Shares outside the range are clamped into it.
     */
    static long cpuWeight(long shares) {
        long clamped = Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
        return 1 + ((clamped - 2) * 9999) / 262_142;
    }

    /**
     * memory.swap.max from OCI's memory+swap total (runc's conversion): unlimited memory with no
     * swap value, or unlimited swap, is "max"; otherwise swap beyond memory = total - memory, which
     * needs a memory limit no greater than the total. Null when swap stays as it is.
     */
    static String swapMax(Long memory, Long memoryPlusSwap) {
        boolean memorySet = set(memory);
        boolean swapSet = set(memoryPlusSwap);
        if (!swapSet) {
            return memorySet && memory == -1 ? "max" : null;
        }
        if (memoryPlusSwap == -1) {
            return "max";
        }
        if (!memorySet || memory == -1) {
            throw new IllegalArgumentException("memory+swap limit " + memoryPlusSwap
                    + " needs a memory limit too: cgroup v2 limits swap apart from memory");
        }
        return Long.toString(memoryPlusSwap - memory);
    }

    /** OCI's swap is memory plus swap: a total below the memory limit is a mistake on either version. */
    static void checkSwap(Long memory, Long memoryPlusSwap) {
        if (set(memory) && memory > 0 && set(memoryPlusSwap) && memoryPlusSwap > 0 && memoryPlusSwap < memory) {
            throw new IllegalArgumentException("memory+swap limit " + memoryPlusSwap + " is below the memory limit " + memory
                    + "; OCI's swap value is the total of memory and swap");
        }
    }
}
