package dev.berth.runtime.cgroup.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** A unit property on the wire: the {@code (sv)} of systemd's {@code a(sv)} property lists. */
public final class PropertyStruct extends Struct {
    @Position(0)
    private final String name;
    @Position(1)
    private final Variant<?> value;

    public PropertyStruct(String name, Variant<?> value) {
        this.name = name;
        this.value = value;
    }

    public String name() {
        return name;
    }

    public Variant<?> value() {
        return value;
    }
}
