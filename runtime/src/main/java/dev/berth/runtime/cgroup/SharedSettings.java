package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.Map;

/** Settings written the same way on cgroup v1 and v2 (only hugetlb's file suffix differs). */
final class SharedSettings {
    private SharedSettings() {}

    static void cpuset(ControlFiles files, Path dir, CgroupResources r) {
        if (Limits.hasText(r.cpusetCpus())) {
            files.write(dir, "cpuset.cpus", r.cpusetCpus());
        }
        if (Limits.hasText(r.cpusetMems())) {
            files.write(dir, "cpuset.mems", r.cpusetMems());
        }
    }

    /**
     * The OCI spec asks for reservation limits where the kernel has them, usage limits
     * otherwise: both are set. {@code limitSuffix} is "limit_in_bytes" on v1, "max" on v2.
     */
    static void hugetlb(ControlFiles files, Path dir, Map<String, Long> limits, String limitSuffix) {
        limits.forEach((size, bytes) -> {
            files.write(dir, "hugetlb." + size + "." + limitSuffix, Long.toString(bytes));
            String reservation = "hugetlb." + size + ".rsvd." + limitSuffix;
            if (files.has(dir, reservation)) {
                files.write(dir, reservation, Long.toString(bytes));
            }
        });
    }
}
