package dev.berth.sandbox.spec;

import dev.berth.runtime.oci.Spec;
import java.util.List;

/**
 * The kernel filesystems every container gets, as containerd's defaults (without /run, which
 * the CRI plugin drops, and /dev/shm, which always comes from the sandbox or the host).
 * Privileged containers get sysfs and cgroupfs read-write.
 */
final class DefaultMounts {
    private DefaultMounts() {}

    static List<Spec.Mount> forContainer(boolean privileged) {
        String mode = privileged ? "rw" : "ro";
        return List.of(
                new Spec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Spec.Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Spec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", mode)),
                new Spec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", mode)));
    }
}
