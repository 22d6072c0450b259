package dev.berth.runtime.shim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OCI mount options (mount(8) names) as mount(2) flags, propagation flags and fs data. */
record MountOptions(long flags, long propagation, String data) {
    static final long MS_RDONLY = 0x1, MS_NOSUID = 0x2, MS_NODEV = 0x4, MS_NOEXEC = 0x8, MS_SYNCHRONOUS = 0x10,
            MS_REMOUNT = 0x20, MS_MANDLOCK = 0x40, MS_DIRSYNC = 0x80, MS_NOATIME = 0x400, MS_NODIRATIME = 0x800,
            MS_BIND = 0x1000, MS_REC = 0x4000, MS_UNBINDABLE = 1L << 17, MS_PRIVATE = 1L << 18, MS_SLAVE = 1L << 19,
            MS_SHARED = 1L << 20, MS_RELATIME = 1L << 21, MS_STRICTATIME = 1L << 24;

    /** Options that set a flag. */
    private static final Map<String, Long> SET = Map.ofEntries(
            Map.entry("ro", MS_RDONLY), Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV),
            Map.entry("noexec", MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS), Map.entry("remount", MS_REMOUNT),
            Map.entry("mand", MS_MANDLOCK), Map.entry("dirsync", MS_DIRSYNC), Map.entry("noatime", MS_NOATIME),
            Map.entry("nodiratime", MS_NODIRATIME), Map.entry("bind", MS_BIND), Map.entry("rbind", MS_BIND | MS_REC),
            Map.entry("relatime", MS_RELATIME), Map.entry("strictatime", MS_STRICTATIME));
    /** Options that clear one. */
    private static final Map<String, Long> CLEAR = Map.ofEntries(
            Map.entry("rw", MS_RDONLY), Map.entry("suid", MS_NOSUID), Map.entry("dev", MS_NODEV),
            Map.entry("exec", MS_NOEXEC), Map.entry("async", MS_SYNCHRONOUS), Map.entry("nomand", MS_MANDLOCK),
            Map.entry("atime", MS_NOATIME), Map.entry("diratime", MS_NODIRATIME), Map.entry("norelatime", MS_RELATIME),
            Map.entry("defaults", 0L));
    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC, "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC, "unbindable", MS_UNBINDABLE,
            "runbindable", MS_UNBINDABLE | MS_REC);

    static MountOptions parse(String type, List<String> options) {
        long flags = "bind".equals(type) ? MS_BIND : 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String option : options == null ? List.<String>of() : options) {
            if (SET.containsKey(option)) {
                flags |= SET.get(option);
            } else if (CLEAR.containsKey(option)) {
                flags &= ~CLEAR.get(option);
            } else if (PROPAGATION.containsKey(option)) {
                propagation |= PROPAGATION.get(option);
            } else {
                data.add(option); // filesystem-specific, e.g. mode=755 or size=65536k
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data));
    }

    static long propagationOf(String name) {
        Long value = PROPAGATION.get(name);
        if (value == null) {
            throw new IllegalArgumentException("unknown rootfsPropagation \"" + name + "\"");
        }
        return value;
    }
}
