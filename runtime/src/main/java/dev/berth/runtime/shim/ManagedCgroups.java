package dev.berth.runtime.shim;

import dev.berth.runtime.cgroup.CgroupLayout;
import dev.berth.runtime.cgroup.CgroupUsage;
import dev.berth.runtime.cgroup.Cgroups;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Path;
import java.util.List;

/** Containers' cgroups through the host's cgroup managers (v1, hybrid or v2, as detected; cgroupfs or systemd driver). */
public final class ManagedCgroups implements CgroupPlacement {
    private final Cgroups cgroups;

    public ManagedCgroups(Cgroups cgroups) {
        this.cgroups = cgroups;
    }

    @Override
    public List<Path> create(String cgroupsPath, Spec.Resources resources) {
        return cgroups.create(cgroupsPath, OciCgroupResources.of(resources));
    }

    @Override
    public void adopt(String cgroupsPath, long pid, Spec.Resources resources) {
        cgroups.adopt(cgroupsPath, pid, OciCgroupResources.of(resources));
    }

    @Override
    public List<Path> paths(String cgroupsPath) {
        return cgroups.paths(cgroupsPath);
    }

    @Override
    public void update(String cgroupsPath, Spec.Resources resources) {
        cgroups.update(cgroupsPath, OciCgroupResources.of(resources));
    }

    @Override
    public void destroy(String cgroupsPath) {
        cgroups.destroy(cgroupsPath);
    }

    @Override
    public CgroupUsage usage(String cgroupsPath) {
        return cgroups.usage(cgroupsPath);
    }

    @Override
    public boolean unified() {
        return cgroups.layout().mode() == CgroupLayout.Mode.UNIFIED;
    }
}
