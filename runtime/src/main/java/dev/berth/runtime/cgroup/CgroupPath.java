package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An OCI cgroupsPath, checked: the names of the directories from a hierarchy's root down to the cgroup. */
record CgroupPath(String value, List<String> names) {

    CgroupPath {
        names = List.copyOf(names);
    }

    static CgroupPath parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("cgroupsPath is empty; give one such as /berth/<container id>");
        }
        if (value.contains(":")) {
            throw new IllegalArgumentException("cgroupsPath \"" + value + "\" looks like a systemd slice:prefix:name;"
                    + " the cgroupfs manager takes a path such as /kubepods/pod<uid>/<container id>");
        }
        List<String> names = new ArrayList<>();
        for (String name : value.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals(".") || name.contains("..") || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("cgroupsPath \"" + value + "\" must not contain \".\" or \"..\" components");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("cgroupsPath \"" + value + "\" names the root cgroup; give one below it");
        }
        return new CgroupPath(value, names);
    }

    /** This cgroup's directory in the hierarchy rooted at {@code root}. */
    Path under(Path root) {
        Path dir = root;
        for (String name : names) {
            dir = dir.resolve(name);
        }
        return dir;
    }

    @Override
    public String toString() {
        return "/" + String.join("/", names);
    }
}
