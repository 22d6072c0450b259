package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@link Cgroups} for the systemd driver, as runc's: cgroupsPath is {@code slice:prefix:name}
 * ({@link SystemdUnit}), each container is a transient scope {@code <prefix>-<name>.scope} that
 * systemd owns, and limits go to systemd as unit properties ({@link SystemdProperties}) and then
 * to the cgroup files too, which also sets what systemd cannot express.
 *
 * <p>systemd refuses a scope without a process, and Berth's init joins its cgroup itself (before
 * it makes its cgroup namespace). So {@link #create} makes the scope's directories and writes the
 * limits with the cgroupfs writers, the init joins them, and {@link #adopt} then starts the scope
 * with the init's pid: systemd takes the existing directory as the unit's cgroup (on legacy v1
 * hosts it also moves the pid into its own name=systemd tree). A cgroupsPath naming a slice makes
 * that slice unit at once, since slices hold no processes.
 *
 * <p>Holds no state beyond its seams; the D-Bus connection is {@link SystemdManager}'s.
 */
final class SystemdCgroups implements Cgroups, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SystemdCgroups.class.getName());

    private final CgroupfsManager files;
    private final SystemdManager systemd;

    SystemdCgroups(CgroupfsManager files, SystemdManager systemd) {
        this.files = files;
        this.systemd = systemd;
    }

    @Override
    public List<Path> create(String cgroupsPath, CgroupResources resources) {
        SystemdUnit unit = SystemdUnit.parse(cgroupsPath);
        CgroupResources r = resources == null ? CgroupResources.none() : resources;
        List<UnitProperty> limits = limits(r);
        if (unit.isSlice()) {
            files.check(r);
            startSlice(unit, limits);
        }
        return files.create(unit.cgroupPath(), r);
    }

    @Override
    public void adopt(String cgroupsPath, long pid, CgroupResources resources) {
        SystemdUnit unit = SystemdUnit.parse(cgroupsPath);
        if (unit.isSlice()) {
            return;
        }
        if (pid <= 0) {
            throw new IllegalArgumentException("cannot start systemd scope " + unit.unit() + " for pid " + pid + ": no such process");
        }
        CgroupResources r = resources == null ? CgroupResources.none() : resources;
        List<UnitProperty> props = new ArrayList<>(SystemdProperties.scope(unit, pid, unified()));
        props.addAll(limits(r));
        start(unit, props);
        // after systemd: its rounded cpu quota and its defaults give way to the exact values asked for
        files.update(unit.cgroupPath(), r);
    }

    @Override
    public void update(String cgroupsPath, CgroupResources resources) {
        SystemdUnit unit = SystemdUnit.parse(cgroupsPath);
        CgroupResources r = resources == null ? CgroupResources.none() : resources;
        files.check(r);
        List<UnitProperty> limits = limits(r);
        files.paths(unit.cgroupPath()); // a missing cgroup fails here, naming the directory, before systemd is asked
        if (!limits.isEmpty()) {
            systemd.setUnitProperties(unit.unit(), limits);
        }
        files.update(unit.cgroupPath(), r);
    }

    /**
     * Stops the unit (systemd kills what is left in it and removes its cgroup), lets systemd forget
     * it if it failed, then removes what systemd does not manage (the cgroup in the other v1
     * hierarchies, or everything when the unit never started).
     */
    @Override
    public void destroy(String cgroupsPath) {
        if (madeByCgroupfs(cgroupsPath)) {
            files.destroy(cgroupsPath);
            return;
        }
        SystemdUnit unit = SystemdUnit.parse(cgroupsPath);
        try {
            systemd.stopUnit(unit.unit());
        } catch (SystemdException e) {
            if (!e.is(SystemdException.NO_SUCH_UNIT)) {
                throw e;
            }
        }
        resetFailed(unit);
        files.destroy(unit.cgroupPath());
    }

    @Override
    public List<Path> paths(String cgroupsPath) {
        return files.paths(madeByCgroupfs(cgroupsPath) ? cgroupsPath : SystemdUnit.parse(cgroupsPath).cgroupPath());
    }

    @Override
    public CgroupUsage usage(String cgroupsPath) {
        return files.usage(madeByCgroupfs(cgroupsPath) ? cgroupsPath : SystemdUnit.parse(cgroupsPath).cgroupPath());
    }

    /**
     * A container made while Berth ran with the cgroupfs driver keeps its plain path ("/berth/<id>"):
     * it can still be read, joined and removed after the switch to systemd; new ones cannot be made so.
     */
    private static boolean madeByCgroupfs(String cgroupsPath) {
        return cgroupsPath != null && cgroupsPath.startsWith("/") && !cgroupsPath.contains(":");
    }

    @Override
    public CgroupLayout layout() {
        return files.layout();
    }

    @Override
    public void close() {
        systemd.close();
    }

    private List<UnitProperty> limits(CgroupResources r) {
        return SystemdProperties.resources(r, unified(), systemd.version());
    }

    private boolean unified() {
        return files.layout().mode() == CgroupLayout.Mode.UNIFIED;
    }

    /** A unit of that name may be a failed leftover: reset it and try once more (as runc does). */
    private void start(SystemdUnit unit, List<UnitProperty> props) {
        try {
            systemd.startTransientUnit(unit.unit(), props);
        } catch (SystemdException e) {
            if (!e.is(SystemdException.UNIT_EXISTS)) {
                throw e;
            }
            resetFailed(unit);
            systemd.startTransientUnit(unit.unit(), props);
        }
    }

    /** A slice that exists already (kubelet made it, or an earlier call) is fine: it gets the limits. */
    private void startSlice(SystemdUnit unit, List<UnitProperty> limits) {
        List<UnitProperty> props = new ArrayList<>(SystemdProperties.slice(unit, unified()));
        props.addAll(limits);
        try {
            systemd.startTransientUnit(unit.unit(), props);
        } catch (SystemdException e) {
            if (!e.is(SystemdException.UNIT_EXISTS)) {
                throw e;
            }
            if (!limits.isEmpty()) {
                systemd.setUnitProperties(unit.unit(), limits);
            }
        }
    }

    private void resetFailed(SystemdUnit unit) {
        try {
            systemd.resetFailedUnit(unit.unit());
        } catch (SystemdException e) {
            LOG.fine(() -> "reset-failed of " + unit.unit() + ": " + e.getMessage());
        }
    }
}
