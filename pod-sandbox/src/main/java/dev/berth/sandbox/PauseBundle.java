package dev.berth.sandbox;

import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import dev.berth.sandbox.spec.CgroupsPathStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OCI bundle of a sandbox's pause process. The shim's pause mode needs no binary, but it
 * still pivot_roots into the rootfs and mounts /proc and /dev there, so the rootfs is a
 * minimal directory tree (/proc, /dev, /etc), made read-only in the container.
 *
 * <p>Namespaces: new IPC (unless host IPC), UTS (unless host network: a host-network pod sees
 * the node's hostname, as with containerd), mount, and PID (unless host PID); the network
 * namespace is the one the pod network pinned, or the host's for a host-network pod.
 */
final class PauseBundle {
    static final int OOM_SCORE_ADJ = -998;
    static final long PAUSE_UID = 65535;

    private PauseBundle() {}

    /** Writes {@code dir/rootfs} and {@code dir/config.json}; returns {@code dir}. */
    static Path write(Path dir, SandboxRecord record, Map<String, String> sysctls, CgroupsPathStyle cgroups) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        for (String d : List.of("proc", "dev", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        SpecFiles.write(dir, spec(rootfs, record, sysctls, cgroups));
        return dir;
    }

    static Spec spec(Path rootfs, SandboxRecord record, Map<String, String> sysctls, CgroupsPathStyle cgroups) {
        NamespaceModes modes = record.namespaces();
        Spec.Capabilities noCaps = new Spec.Capabilities(List.of(), List.of(), List.of(), List.of(), List.of());
        Spec.Process process = new Spec.Process(false, new Spec.User(PAUSE_UID, PAUSE_UID, null, List.of()), List.of(),
                List.of("PATH=/"), "/", noCaps, null, true, OOM_SCORE_ADJ, null, null);
        List<Spec.Namespace> namespaces = new ArrayList<>();
        namespaces.add(new Spec.Namespace("mount", null));
        if (!modes.hostIpc()) {
            namespaces.add(new Spec.Namespace("ipc", null));
        }
        if (!modes.hostPid()) {
            namespaces.add(new Spec.Namespace("pid", null));
        }
        boolean ownUts = !modes.hostNetwork();
        if (ownUts) {
            namespaces.add(new Spec.Namespace("uts", null));
        }
        if (!modes.hostNetwork()) {
            namespaces.add(new Spec.Namespace("network", record.netnsPath()));
        }
        List<Spec.Mount> mounts = List.of(
                new Spec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=64k")));
        String cgroupsPath = cgroups.cgroupsPath(record.containersCgroupParent(), record.id());
        Spec.Linux linux = new Spec.Linux(namespaces, null, null, null, cgroupsPath, null, null, null,
                sysctls == null || sysctls.isEmpty() ? null : Map.copyOf(sysctls),
                List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), null);
        String hostname = ownUts && !record.hostname().isEmpty() ? record.hostname() : null;
        return new Spec("1.0.2", process, new Spec.Root(rootfs.toString(), true), hostname, null, mounts,
                Map.of("io.kubernetes.cri.container-type", "sandbox", "io.kubernetes.cri.sandbox-id", record.id()), linux);
    }
}
