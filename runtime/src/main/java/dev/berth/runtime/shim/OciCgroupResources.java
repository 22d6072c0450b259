package dev.berth.runtime.shim;

import dev.berth.runtime.cgroup.CgroupResources;
import dev.berth.runtime.oci.Spec;
import java.util.LinkedHashMap;
import java.util.Map;

/** OCI {@code linux.resources} as cgroup limits; absent fields stay unset (the kernel's default). */
final class OciCgroupResources {
    private OciCgroupResources() {}

    static CgroupResources of(Spec.Resources r) {
        if (r == null) {
            return CgroupResources.none();
        }
        Spec.Memory memory = r.memory();
        Spec.Cpu cpu = r.cpu();
        Map<String, Long> hugepages = new LinkedHashMap<>();
        if (r.hugepageLimits() != null) {
            r.hugepageLimits().forEach(h -> hugepages.put(h.pageSize(), h.limit()));
        }
        return new CgroupResources(
                memory == null ? null : memory.limit(),
                memory == null ? null : memory.swap(),
                cpu == null ? null : cpu.shares(),
                cpu == null ? null : cpu.quota(),
                cpu == null ? null : cpu.period(),
                cpu == null || cpu.cpus() == null || cpu.cpus().isEmpty() ? null : cpu.cpus(),
                cpu == null || cpu.mems() == null || cpu.mems().isEmpty() ? null : cpu.mems(),
                r.pids() == null ? null : r.pids().limit(),
                hugepages,
                r.unified() == null ? Map.of() : r.unified());
    }
}
