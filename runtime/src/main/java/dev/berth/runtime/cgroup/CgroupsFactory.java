package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The {@link Cgroups} for this host's layout, or for a fake cgroup tree. */
public final class CgroupsFactory {

    private CgroupsFactory() {}

    /** This host's cgroups: the layout from /proc/self/mountinfo, each controller where it is mounted. */
    public static Cgroups detect() {
        return hostFiles();
    }

    /**
     * This host's cgroups under the systemd driver: containers are transient scopes made through
     * systemd on the system bus (which must be reachable now: fails with {@link SystemdException}
     * otherwise), their limits also written to the files of the detected layout.
     */
    public static Cgroups systemd() {
        CgroupfsManager files = hostFiles();
        return new SystemdCgroups(files, DbusSystemdManager.systemBus());
    }

    private static CgroupfsManager hostFiles() {
        CgroupLayout layout;
        try {
            layout = CgroupLayout.detect();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cgroup layout from /proc/self/mountinfo: " + ControlFiles.reason(e), e);
        }
        return new CgroupfsManager(layout, new HostCgroupFs(), CgroupTree.Sleeper.SYSTEM);
    }

    /**
     * Cgroups on a tree standing in for /sys/fs/cgroup (for tests): {@code mountinfoLines} name
     * mount points under /sys/fs/cgroup, which are taken under {@code fsRoot}; the cgroup2 mount's
     * {@code cgroup.controllers} is read from there. Writes are plain file writes, so the tree must
     * already hold the control files a kernel would show (a directory this makes starts empty).
     */
    public static Cgroups forRoot(Path fsRoot, List<String> mountinfoLines) {
        return forRoot(fsRoot, mountinfoLines, new HostCgroupFs(), CgroupTree.Sleeper.SYSTEM);
    }

    static CgroupfsManager forRoot(Path fsRoot, List<String> mountinfoLines, CgroupFs fs, CgroupTree.Sleeper sleeper) {
        try {
            CgroupLayout layout = CgroupLayout.fromMountinfo(mountinfoLines).under(fsRoot).withUnifiedControllersFromDisk();
            return new CgroupfsManager(layout, fs, sleeper);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cgroup.controllers under " + fsRoot + ": " + ControlFiles.reason(e), e);
        }
    }
}
