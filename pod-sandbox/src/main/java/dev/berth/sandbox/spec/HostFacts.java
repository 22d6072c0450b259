package dev.berth.sandbox.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The few facts about the node a container spec depends on; tests pass their own. The cgroup
 * and AppArmor facts are read once, the hostname on each call (it may be set after boot).
 *
 * @param unifiedCgroups /sys/fs/cgroup is cgroup v2: containers then get a cgroup namespace (as containerd)
 * @param apparmorEnabled the kernel enforces AppArmor, so a profile name means something
 * @param nodeHostname HOSTNAME for containers of host-network pods
 * @param devDir the host's /dev, whose devices privileged containers get
 * @param capabilities the capabilities Berth itself holds (its bounding set): all a container can get
 */
record HostFacts(boolean unifiedCgroups, boolean apparmorEnabled, String nodeHostname, Path devDir, Set<String> capabilities) {
    HostFacts(boolean unifiedCgroups, boolean apparmorEnabled, String nodeHostname, Path devDir) {
        this(unifiedCgroups, apparmorEnabled, nodeHostname, devDir, Set.copyOf(Capabilities.ALL));
    }

    private static final class Kernel {
        static final boolean UNIFIED = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        static final boolean APPARMOR = "Y".equals(read(Path.of("/sys/module/apparmor/parameters/enabled")));
    }

    static HostFacts detect() {
        return new HostFacts(Kernel.UNIFIED, Kernel.APPARMOR, read(Path.of("/proc/sys/kernel/hostname")), Path.of("/dev"),
                boundingSet(read(Path.of("/proc/self/status"))));
    }

    /** The capabilities of CapBnd in /proc/self/status (all of them if it cannot be read). */
    static Set<String> boundingSet(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapBnd:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                Set<String> caps = new java.util.LinkedHashSet<>();
                for (int bit = 0; bit < Capabilities.ALL.size(); bit++) {
                    if ((mask & (1L << bit)) != 0) {
                        caps.add(Capabilities.ALL.get(bit));
                    }
                }
                return Set.copyOf(caps);
            }
        }
        return Set.copyOf(Capabilities.ALL);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
