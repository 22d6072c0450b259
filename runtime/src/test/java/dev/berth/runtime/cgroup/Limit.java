package dev.berth.runtime.cgroup;

import java.util.Map;
import java.util.TreeMap;

/** A readable way to write {@link CgroupResources} in tests. */
final class Limit {
    private Long memory;
    private Long swap;
    private Long shares;
    private Long quota;
    private Long period;
    private String cpus;
    private String mems;
    private Long pids;
    private final Map<String, Long> hugepages = new TreeMap<>();
    private final Map<String, String> unified = new TreeMap<>();

    static Limit of() {
        return new Limit();
    }

    Limit memory(long bytes) {
        memory = bytes;
        return this;
    }

    Limit swap(long memoryPlusSwap) {
        swap = memoryPlusSwap;
        return this;
    }

    Limit shares(long value) {
        shares = value;
        return this;
    }

    Limit quota(long micros) {
        quota = micros;
        return this;
    }

    Limit period(long micros) {
        period = micros;
        return this;
    }

    Limit cpus(String value) {
        cpus = value;
        return this;
    }

    Limit mems(String value) {
        mems = value;
        return this;
    }

    Limit pids(long value) {
        pids = value;
        return this;
    }

    Limit hugepages(String size, long bytes) {
        hugepages.put(size, bytes);
        return this;
    }

    Limit unified(String file, String value) {
        unified.put(file, value);
        return this;
    }

    CgroupResources build() {
        return new CgroupResources(memory, swap, shares, quota, period, cpus, mems, pids, hugepages, unified);
    }
}
