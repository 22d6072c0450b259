package dev.berth.runtime.shim;

import dev.berth.runtime.cgroup.CgroupUsage;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Path;
import java.util.List;

/** Where a container's cgroup lives and what limits it gets; the runtime's view of the cgroup managers. */
public interface CgroupPlacement {

    /** Creates the cgroup for an OCI cgroupsPath with the given limits; returns the directories the init joins. */
    List<Path> create(String cgroupsPath, Spec.Resources resources);

    /**
     * Hands the cgroup to its owner once the init ({@code pid}) has joined it: nothing for the
     * cgroupfs driver; the systemd driver starts the container's scope (see {@code Cgroups#adopt}).
     */
    default void adopt(String cgroupsPath, long pid, Spec.Resources resources) {}

    /** The directories of an existing cgroup, for an exec to join. */
    List<Path> paths(String cgroupsPath);

    /** Changes the limits of an existing cgroup. */
    void update(String cgroupsPath, Spec.Resources resources);

    /** Removes the cgroup; one that is gone already is fine. */
    void destroy(String cgroupsPath);

    /** The cgroup's resource usage now; numbers the host cannot tell are 0. */
    CgroupUsage usage(String cgroupsPath);

    /** Whether the host has only the unified (v2) hierarchy. */
    boolean unified();

    /** No cgroups at all: containers share the daemon's (for unit tests of the launch path only). */
    static CgroupPlacement none() {
        return new CgroupPlacement() {
            @Override
            public List<Path> create(String cgroupsPath, Spec.Resources resources) {
                return List.of();
            }

            @Override
            public List<Path> paths(String cgroupsPath) {
                return List.of();
            }

            @Override
            public void update(String cgroupsPath, Spec.Resources resources) {}

            @Override
            public void destroy(String cgroupsPath) {}

            @Override
            public CgroupUsage usage(String cgroupsPath) {
                return CgroupUsage.NONE;
            }

            @Override
            public boolean unified() {
                return false;
            }
        };
    }
}
