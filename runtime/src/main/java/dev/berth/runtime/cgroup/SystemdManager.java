package dev.berth.runtime.cgroup;

import java.util.List;

/**
 * The calls the systemd cgroup driver makes to systemd's manager (org.freedesktop.systemd1(5)).
 * {@link DbusSystemdManager} makes them over D-Bus; unit tests record them. Each call that makes
 * systemd run a job returns once the job has ended, as runc waits for JobRemoved.
 */
interface SystemdManager extends AutoCloseable {

    /**
     * StartTransientUnit(unit, "replace", properties, []), waiting for its job; a job that ends
     * other than "done" fails. A unit that exists fails with {@link SystemdException#UNIT_EXISTS}.
     */
    void startTransientUnit(String unit, List<UnitProperty> properties);

    /** StopUnit(unit, "replace"), waiting for its job; an unknown unit fails with {@link SystemdException#NO_SUCH_UNIT}. */
    void stopUnit(String unit);

    /** SetUnitProperties(unit, runtime = true, properties): new limits for a running unit, forgotten at reboot. */
    void setUnitProperties(String unit, List<UnitProperty> properties);

    /** ResetFailedUnit(unit): a failed unit is forgotten, so its name is free again. */
    void resetFailedUnit(String unit);

    /** systemd's version number (the Manager's Version property, e.g. 252 for "252.36-1~deb12u1"); -1 when unknown. */
    int version();

    @Override
    void close();
}
