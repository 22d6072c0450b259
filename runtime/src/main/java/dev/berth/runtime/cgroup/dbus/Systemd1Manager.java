package dev.berth.runtime.cgroup.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * The part of systemd's {@code org.freedesktop.systemd1.Manager} D-Bus interface (at
 * {@code /org/freedesktop/systemd1}) that the systemd cgroup driver calls; see
 * org.freedesktop.systemd1(5). Method names are the D-Bus member names.
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {

    /** StartTransientUnit(s name, s mode, a(sv) properties, a(sa(sv)) aux) → o job. */
    DBusPath StartTransientUnit(String name, String mode, List<PropertyStruct> properties, List<AuxUnitStruct> aux);

    /** StopUnit(s name, s mode) → o job. */
    DBusPath StopUnit(String name, String mode);

    /** SetUnitProperties(s name, b runtime, a(sv) properties). */
    void SetUnitProperties(String name, Boolean runtime, List<PropertyStruct> properties);

    /** ResetFailedUnit(s name): forgets a failed unit, so its name can be used again. */
    void ResetFailedUnit(String name);

    /** Subscribe(): asks systemd to send its job signals. */
    void Subscribe();

    /** JobRemoved(u id, o job, s unit, s result): a job ended; result is "done" when it succeeded. */
    final class JobRemoved extends DBusSignal {
        private final DBusPath job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.job = job;
            this.unit = unit;
            this.result = result;
        }

        public DBusPath job() {
            return job;
        }

        public String unit() {
            return unit;
        }

        public String result() {
            return result;
        }
    }
}
