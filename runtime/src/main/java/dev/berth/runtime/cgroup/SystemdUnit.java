package dev.berth.runtime.cgroup;

import java.util.regex.Pattern;

/**
 * A systemd driver cgroupsPath, {@code slice:prefix:name}, as runc reads it: the unit is the scope
 * {@code <prefix>-<name>.scope} in {@code slice}, or the slice {@code name} itself when the name
 * ends in ".slice"; an empty slice is {@code system.slice}. The unit's cgroup is the slice's
 * expanded path plus the unit name, e.g. "kubepods-burstable-pod1.slice:berth:c1" is
 * {@code berth-c1.scope} at {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/berth-c1.scope}.
 *
 * @param slice the parent slice unit (Slice= of a scope, Wants= of a slice)
 * @param unit the unit's name
 * @param cgroupPath the unit's cgroup below each hierarchy's root, as a cgroupfs path
 */
record SystemdUnit(String slice, String unit, String cgroupPath) {
    static final String DEFAULT_SLICE = "system.slice";
    private static final String SLICE = ".slice";
    /** The characters systemd allows in unit names (unit_name_is_valid), without '@' templates. */
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9:_.\\\\-]+");

    static SystemdUnit parse(String cgroupsPath) {
        if (cgroupsPath == null || cgroupsPath.isBlank()) {
            throw new IllegalArgumentException("cgroupsPath is empty; the systemd driver takes slice:prefix:name,"
                    + " e.g. kubepods-besteffort-pod<uid>.slice:berth:<container id>");
        }
        String[] parts = cgroupsPath.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("cgroupsPath \"" + cgroupsPath + "\" is not of the form slice:prefix:name, which the"
                    + " systemd driver takes (e.g. kubepods-besteffort-pod<uid>.slice:berth:<container id>)");
        }
        String slice = parts[0].isEmpty() ? DEFAULT_SLICE : parts[0];
        String prefix = parts[1];
        String name = parts[2];
        if (name.isEmpty() || !NAME_PART.matcher(name).matches() || !prefix.isEmpty() && !NAME_PART.matcher(prefix).matches()) {
            throw new IllegalArgumentException("cgroupsPath \"" + cgroupsPath + "\": prefix and name may hold only letters, digits"
                    + " and : _ . - \\ (systemd unit name characters), and the name must not be empty");
        }
        String unit = name.endsWith(SLICE) ? name : prefix + "-" + name + ".scope";
        String parent = expandSlice(slice);
        return new SystemdUnit(slice, unit, (parent.equals("/") ? "" : parent) + "/" + unit);
    }

    boolean isSlice() {
        return unit.endsWith(SLICE);
    }

    /**
     * A slice's cgroup path: each '-' opens a nested slice, so "a-b-c.slice" is
     * "/a.slice/a-b.slice/a-b-c.slice" and "-.slice" is the root "/" (systemd.slice(5)).
     */
    static String expandSlice(String slice) {
        if (slice.length() <= SLICE.length() || !slice.endsWith(SLICE) || slice.contains("/")) {
            throw new IllegalArgumentException("\"" + slice + "\" is not a systemd slice name: it must end in .slice and hold"
                    + " no '/', e.g. kubepods-burstable.slice");
        }
        String name = slice.substring(0, slice.length() - SLICE.length());
        if (name.equals("-")) {
            return "/";
        }
        if (!NAME_PART.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + slice + "\" is not a systemd slice name: only letters, digits and : _ . - \\");
        }
        StringBuilder path = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        for (String component : name.split("-", -1)) {
            if (component.isEmpty()) {
                throw new IllegalArgumentException("\"" + slice + "\" is not a systemd slice name: a '-' must separate two"
                        + " non-empty parts (no leading, trailing or double '-')");
            }
            path.append('/').append(prefix).append(component).append(SLICE);
            prefix.append(component).append('-');
        }
        return path.toString();
    }
}
