package dev.berth.runtime.shim;

import java.nio.file.Path;
import java.util.List;

/**
 * What the runtime adds to a bundle's config when it launches it.
 *
 * @param bundle the bundle directory (a relative root.path is relative to it)
 * @param logPath where the shim writes the CRI log, or null for none
 * @param cgroupDirs the cgroup directories the init joins, one per hierarchy
 * @param unifiedCgroups whether the host is cgroup v2 only (a "cgroup" mount is then cgroup2)
 * @param pause run the pod's pause loop instead of process.args
 * @param stdin keep stdin open for attach; {@code stdinOnce} closes it after the first client
 */
public record LaunchContext(Path bundle, Path logPath, List<Path> cgroupDirs, boolean unifiedCgroups, boolean pause,
        boolean stdin, boolean stdinOnce) {
    public LaunchContext {
        cgroupDirs = List.copyOf(cgroupDirs);
    }
}
