package dev.berth.server.host;

import java.nio.file.Files;
import java.nio.file.Path;

/** The cgroup driver kubelet must be configured with to match Berth. */
public enum CgroupDriver {
    CGROUPFS,
    SYSTEMD;

    /** sd_booted(3): systemd is PID 1 exactly when this directory exists. */
    static final Path SYSTEMD_RUNTIME_DIR = Path.of("/run/systemd/system");

    /**
     * Resolves the configured driver name; {@code auto} picks systemd on hosts booted with
     * systemd (as kubeadm and CRI-O default to), cgroupfs elsewhere.
     */
    public static CgroupDriver resolve(String configured, boolean systemdBooted) {
        return switch (configured) {
            case "cgroupfs" -> CGROUPFS;
            case "systemd" -> SYSTEMD;
            case "auto" -> systemdBooted ? SYSTEMD : CGROUPFS;
            default -> throw new IllegalArgumentException("unknown cgroup driver \"" + configured + "\"");
        };
    }

    /** The systemd driver asks systemd for every container's scope: refused on a host where systemd is not init. */
    public void checkHost(boolean systemdBooted) {
        if (this == SYSTEMD && !systemdBooted) {
            throw new IllegalStateException("cgroup.driver = systemd but systemd is not running (no " + SYSTEMD_RUNTIME_DIR
                    + "); set cgroup.driver to cgroupfs or auto, and kubelet's cgroupDriver to cgroupfs");
        }
    }

    public static boolean systemdBooted() {
        return Files.isDirectory(SYSTEMD_RUNTIME_DIR);
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
