package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerResources;
import dev.berth.cri.api.v1.HugepageLimit;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.runtime.oci.Spec;

/**
 * The resources a container runs with, as ContainerStatus reports them (kubelet compares them
 * with the pod spec for in-place resize): read back from the bundle's OCI spec, which
 * UpdateContainerResources rewrites.
 */
final class ContainerResourcesView {
    private ContainerResourcesView() {}

    static ContainerResources of(Spec spec) {
        LinuxContainerResources.Builder linux = LinuxContainerResources.newBuilder();
        Spec.Resources r = spec.linux() == null ? null : spec.linux().resources();
        if (r != null) {
            if (r.cpu() != null) {
                Spec.Cpu cpu = r.cpu();
                linux.setCpuShares(orZero(cpu.shares())).setCpuQuota(orZero(cpu.quota())).setCpuPeriod(orZero(cpu.period()))
                        .setCpusetCpus(cpu.cpus() == null ? "" : cpu.cpus()).setCpusetMems(cpu.mems() == null ? "" : cpu.mems());
            }
            if (r.memory() != null) {
                linux.setMemoryLimitInBytes(orZero(r.memory().limit())).setMemorySwapLimitInBytes(orZero(r.memory().swap()));
            }
            if (r.hugepageLimits() != null) {
                r.hugepageLimits().forEach(h -> linux.addHugepageLimits(HugepageLimit.newBuilder().setPageSize(h.pageSize()).setLimit(h.limit())));
            }
            if (r.unified() != null) {
                linux.putAllUnified(r.unified());
            }
        }
        if (spec.process() != null && spec.process().oomScoreAdj() != null) {
            linux.setOomScoreAdj(spec.process().oomScoreAdj());
        }
        return ContainerResources.newBuilder().setLinux(linux).build();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
