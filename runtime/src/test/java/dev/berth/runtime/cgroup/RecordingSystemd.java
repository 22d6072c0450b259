package dev.berth.runtime.cgroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A systemd manager that records the calls and keeps the set of units, answering as systemd would. */
final class RecordingSystemd implements SystemdManager {
    record Call(String method, String unit, List<UnitProperty> properties) {}

    final List<Call> calls = new ArrayList<>();
    /** Units that exist, with the properties they were started or last set with. */
    final Map<String, List<UnitProperty>> units = new LinkedHashMap<>();
    final Set<String> failed = new TreeSet<>();
    int version = 252;
    /** When set, the next start fails with this job result. */
    String nextStartResult;
    boolean closed;
    /** Runs when a unit starts: stands for what systemd itself writes into the unit's cgroup. */
    Runnable onStart = () -> {};

    @Override
    public void startTransientUnit(String unit, List<UnitProperty> properties) {
        calls.add(new Call("StartTransientUnit", unit, properties));
        if (units.containsKey(unit) || failed.contains(unit)) {
            throw new SystemdException(SystemdException.UNIT_EXISTS, "Unit " + unit + " already exists.");
        }
        if (nextStartResult != null) {
            String result = nextStartResult;
            nextStartResult = null;
            failed.add(unit);
            throw new SystemdException(null, "systemd's StartTransientUnit job for " + unit + " ended with result \"" + result + "\"");
        }
        units.put(unit, properties);
        onStart.run();
    }

    @Override
    public void stopUnit(String unit) {
        calls.add(new Call("StopUnit", unit, List.of()));
        if (units.remove(unit) == null) {
            throw new SystemdException(SystemdException.NO_SUCH_UNIT, "Unit " + unit + " not loaded.");
        }
    }

    @Override
    public void setUnitProperties(String unit, List<UnitProperty> properties) {
        calls.add(new Call("SetUnitProperties", unit, properties));
        if (!units.containsKey(unit)) {
            throw new SystemdException(SystemdException.NO_SUCH_UNIT, "Unit " + unit + " not loaded.");
        }
        units.put(unit, properties);
    }

    @Override
    public void resetFailedUnit(String unit) {
        calls.add(new Call("ResetFailedUnit", unit, List.of()));
        if (!failed.remove(unit)) {
            throw new SystemdException(SystemdException.NO_SUCH_UNIT, "Unit " + unit + " not loaded.");
        }
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public void close() {
        closed = true;
    }

    List<String> methods() {
        return calls.stream().map(c -> c.method() + " " + c.unit()).toList();
    }
}
