package dev.berth.runtime.shim;

import dev.berth.runtime.oci.LinuxCapabilities;
import java.util.List;
import java.util.Map;

/** Kernel numbers for the names an OCI config uses: capabilities and rlimits. */
final class LinuxNames {
    private static final List<String> CAPABILITIES = LinuxCapabilities.ALL;

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
