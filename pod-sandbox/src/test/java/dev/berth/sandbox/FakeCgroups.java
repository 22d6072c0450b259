package dev.berth.sandbox;

import dev.berth.runtime.cgroup.CgroupUsage;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.shim.CgroupPlacement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cgroups as a map of path to limits, with every call recorded; a test can make the next call fail. */
final class FakeCgroups implements CgroupPlacement {
    final Map<String, Spec.Resources> cgroups = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** Thrown (once) by the next create or update. */
    RuntimeException failNext;

    @Override
    public synchronized List<Path> create(String cgroupsPath, Spec.Resources resources) {
        calls.add("create " + cgroupsPath);
        cgroups.put(cgroupsPath, resources);
        fail();
        return List.of(Path.of("/fake", cgroupsPath));
    }

    @Override
    public synchronized List<Path> paths(String cgroupsPath) {
        return List.of(Path.of("/fake", cgroupsPath));
    }

    @Override
    public synchronized void update(String cgroupsPath, Spec.Resources resources) {
        calls.add("update " + cgroupsPath);
        fail();
        cgroups.put(cgroupsPath, resources);
    }

    @Override
    public synchronized void destroy(String cgroupsPath) {
        calls.add("destroy " + cgroupsPath);
        cgroups.remove(cgroupsPath);
    }

    @Override
    public CgroupUsage usage(String cgroupsPath) {
        return CgroupUsage.NONE;
    }

    @Override
    public boolean unified() {
        return false;
    }

    private void fail() {
        RuntimeException e = failNext;
        failNext = null;
        if (e != null) {
            throw e;
        }
    }
}
