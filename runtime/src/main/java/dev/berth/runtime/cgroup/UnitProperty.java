package dev.berth.runtime.cgroup;

import java.util.List;

/**
 * One property of a systemd unit as D-Bus carries it (a name and a variant): {@code signature}
 * is the variant's D-Bus type and {@code value} its Java form: "b" Boolean, "s" String,
 * "t" Long (read unsigned; {@link #INFINITY} is systemd's "infinity"), "au" List of Long,
 * "as" List of String, "ay" List of Integer (each 0..255).
 */
record UnitProperty(String name, String signature, Object value) {
    /** UINT64_MAX: systemd's "infinity" for limits (and USEC_INFINITY for times). */
    static final long INFINITY = -1L;

    UnitProperty {
        value = value instanceof List<?> list ? List.copyOf(list) : value;
    }

    static UnitProperty bool(String name, boolean value) {
        return new UnitProperty(name, "b", value);
    }

    static UnitProperty string(String name, String value) {
        return new UnitProperty(name, "s", value);
    }

    static UnitProperty uint64(String name, long unsignedValue) {
        return new UnitProperty(name, "t", unsignedValue);
    }

    static UnitProperty uint32s(String name, List<Long> values) {
        return new UnitProperty(name, "au", values);
    }

    static UnitProperty strings(String name, List<String> values) {
        return new UnitProperty(name, "as", values);
    }

    static UnitProperty bytes(String name, List<Integer> values) {
        return new UnitProperty(name, "ay", values);
    }
}
