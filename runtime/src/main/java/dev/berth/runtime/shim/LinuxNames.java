package dev.berth.runtime.shim;

import java.util.List;
import java.util.Map;

/** Kernel numbers for the names an OCI config uses: capabilities and rlimits. */
final class LinuxNames {
    private static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private static final Map<String, Integer> RLIMITS = Map.ofEntries(
            Map.entry("RLIMIT_CPU", 0), Map.entry("RLIMIT_FSIZE", 1), Map.entry("RLIMIT_DATA", 2),
            Map.entry("RLIMIT_STACK", 3), Map.entry("RLIMIT_CORE", 4), Map.entry("RLIMIT_RSS", 5),
            Map.entry("RLIMIT_NPROC", 6), Map.entry("RLIMIT_NOFILE", 7), Map.entry("RLIMIT_MEMLOCK", 8),
            Map.entry("RLIMIT_AS", 9), Map.entry("RLIMIT_LOCKS", 10), Map.entry("RLIMIT_SIGPENDING", 11),
            Map.entry("RLIMIT_MSGQUEUE", 12), Map.entry("RLIMIT_NICE", 13), Map.entry("RLIMIT_RTPRIO", 14),
            Map.entry("RLIMIT_RTTIME", 15));

    private LinuxNames() {}

    /** The bit mask of the named capabilities; an unknown name is an error, as in runc. */
    static long capabilityMask(List<String> names) {
        long mask = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int bit = CAPABILITIES.indexOf(name.startsWith("CAP_") ? name : "CAP_" + name);
            if (bit < 0) {
                throw new IllegalArgumentException("unknown capability \"" + name + "\"");
            }
            mask |= 1L << bit;
        }
        return mask;
    }

    static int rlimit(String name) {
        Integer number = RLIMITS.get(name);
        if (number == null) {
            throw new IllegalArgumentException("unknown rlimit \"" + name + "\"");
        }
        return number;
    }
}
