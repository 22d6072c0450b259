package dev.berth.runtime.cgroup;

import dev.berth.runtime.cgroup.dbus.AuxUnitStruct;
import dev.berth.runtime.cgroup.dbus.PropertyStruct;
import dev.berth.runtime.cgroup.dbus.Systemd1Manager;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.systemd1.UnitExists;

/**
 * A fake systemd exported on a test bus as org.freedesktop.systemd1 at /org/freedesktop/systemd1:
 * it records each call as it arrived on the wire (each property as {@code Name=signature:value})
 * and ends every job it queues with a JobRemoved signal, sent before the method's reply.
 */
public final class FakeSystemdBus implements Systemd1Manager, Properties {
    private final DBusConnection connection;
    private final AtomicInteger jobs = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<String> units = ConcurrentHashMap.newKeySet();
    volatile String jobResult = "done";
    volatile boolean subscribed;

    FakeSystemdBus(DBusConnection connection) {
        this.connection = connection;
    }

    @Override
    public String getObjectPath() {
        return DbusSystemdManager.OBJECT_PATH;
    }

    @Override
    public DBusPath StartTransientUnit(String name, String mode, List<PropertyStruct> properties, List<AuxUnitStruct> aux) {
        calls.add("StartTransientUnit " + name + " " + mode + " " + render(properties) + " aux=" + aux.size());
        if (!units.add(name)) {
            throw new UnitExists("Unit " + name + " was already loaded or has a fragment file.");
        }
        return job(name);
    }

    @Override
    public DBusPath StopUnit(String name, String mode) {
        calls.add("StopUnit " + name + " " + mode);
        if (!units.remove(name)) {
            throw new NoSuchUnit("Unit " + name + " not loaded.");
        }
        return job(name);
    }

    @Override
    public void SetUnitProperties(String name, Boolean runtime, List<PropertyStruct> properties) {
        calls.add("SetUnitProperties " + name + " runtime=" + runtime + " " + render(properties));
    }

    @Override
    public void ResetFailedUnit(String name) {
        calls.add("ResetFailedUnit " + name);
    }

    @Override
    public void Subscribe() {
        subscribed = true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String property) {
        calls.add("Get " + iface + " " + property);
        return (A) "252.36-1~deb12u1";
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        return Map.of("Version", new Variant<>("252.36-1~deb12u1"));
    }

    /** Queues a job and ends it at once: the JobRemoved signal leaves before the reply with the job's path. */
    private DBusPath job(String unit) {
        int id = jobs.incrementAndGet();
        DBusPath path = new DBusPath("/org/freedesktop/systemd1/job/" + id);
        try {
            connection.sendMessage(new Systemd1Manager.JobRemoved(getObjectPath(), new UInt32(id), path, unit, jobResult));
        } catch (DBusException e) {
            throw new IllegalStateException(e);
        }
        return path;
    }

    private static String render(List<PropertyStruct> properties) {
        return properties.stream().map(p -> p.name() + "=" + p.value().getSig() + ":" + value(p.value().getValue()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String value(Object value) {
        if (value instanceof byte[] bytes) {
            List<Integer> out = new ArrayList<>();
            for (byte b : bytes) {
                out.add(b & 0xff);
            }
            return out.toString();
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(Array.get(value, i));
            }
            return out.toString();
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList().toString();
        }
        return String.valueOf(value);
    }
}
