package dev.berth.runtime.cgroup.dbus;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** An auxiliary unit of StartTransientUnit, {@code (sa(sv))}; Berth sends none, but the signature needs the type. */
public final class AuxUnitStruct extends Struct {
    @Position(0)
    private final String name;
    @Position(1)
    private final List<PropertyStruct> properties;

    public AuxUnitStruct(String name, List<PropertyStruct> properties) {
        this.name = name;
        this.properties = properties;
    }

    public String name() {
        return name;
    }

    public List<PropertyStruct> properties() {
        return properties;
    }
}
