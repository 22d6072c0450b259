package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import java.util.List;

/**
 * Masked and read-only paths: the request's (kubelet sends its defaults for the Default proc
 * mount type), else containerd's defaults; none for a privileged container.
 */
final class ProcPaths {
    static final List<String> DEFAULT_MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/sys/devices/virtual/powercap", "/proc/scsi");
    static final List<String> DEFAULT_READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private ProcPaths() {}

    static List<String> masked(LinuxContainerSecurityContext sc, boolean privileged) {
        return pick(sc.getMaskedPathsList(), DEFAULT_MASKED, privileged, "masked_paths");
    }

    static List<String> readonly(LinuxContainerSecurityContext sc, boolean privileged) {
        return pick(sc.getReadonlyPathsList(), DEFAULT_READONLY, privileged, "readonly_paths");
    }

    private static List<String> pick(List<String> requested, List<String> defaults, boolean privileged, String field) {
        if (privileged) {
            return null;
        }
        for (String path : requested) {
            if (!path.startsWith("/")) {
                throw new SpecException(field + ": \"" + path + "\" is not an absolute path inside the container");
            }
        }
        return requested.isEmpty() ? defaults : List.copyOf(requested);
    }
}
