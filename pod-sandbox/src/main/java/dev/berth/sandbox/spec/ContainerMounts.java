package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.Mount;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * All of a container's mounts, merged as containerd merges them: the request's mounts win over
 * the sandbox's (/etc/hosts, /etc/resolv.conf, /etc/hostname, /dev/shm) at the same path, and
 * both win over the defaults; a mount at /dev also replaces every default under /dev. The
 * result is sorted by depth, stably, so a parent is always mounted before its children.
 */
final class ContainerMounts {
    /** The mounts and the rootfs propagation they need (null = the runtime's default, rprivate). */
    record Result(List<Spec.Mount> mounts, String rootfsPropagation) {}

    private ContainerMounts() {}

    /** {@code hostIpc}: the container uses the node's IPC namespace, so it gets the node's /dev/shm. */
    static Result build(ContainerConfig config, SandboxView sandbox, boolean privileged, boolean hostIpc, boolean readonlyRootfs) {
        List<Spec.Mount> supplied = new ArrayList<>();
        String propagation = null;
        for (int i = 0; i < config.getMountsCount(); i++) {
            BindMounts.Bind bind = BindMounts.of(config.getMounts(i), "mounts[" + i + "]");
            supplied.add(bind.mount());
            propagation = strongest(propagation, bind.rootfsPropagation());
        }
        Set<String> taken = new HashSet<>(supplied.stream().map(Spec.Mount::destination).toList());
        for (Mount extra : sandboxMounts(sandbox, hostIpc, readonlyRootfs)) {
            if (!taken.contains(extra.getContainerPath())) {
                supplied.add(BindMounts.of(extra, "sandbox mount " + extra.getContainerPath()).mount());
            }
        }
        taken = new HashSet<>(supplied.stream().map(Spec.Mount::destination).toList());
        boolean devSupplied = taken.contains("/dev");
        List<Spec.Mount> all = new ArrayList<>();
        for (Spec.Mount m : DefaultMounts.forContainer(privileged)) {
            boolean underSuppliedDev = devSupplied && ContainerPaths.isUnder(m.destination(), "/dev");
            if (!taken.contains(m.destination()) && !underSuppliedDev) {
                all.add(m);
            }
        }
        all.addAll(supplied);
        all.sort(Comparator.comparingInt(m -> ContainerPaths.depth(m.destination()))); // List.sort is stable
        return new Result(List.copyOf(all), propagation);
    }

    /** The sandbox's files over /etc (read-only with a read-only rootfs, as containerd) and its /dev/shm. */
    private static List<Mount> sandboxMounts(SandboxView sandbox, boolean hostIpc, boolean readonlyRootfs) {
        List<Mount> out = new ArrayList<>();
        addIfPresent(out, "/etc/hostname", sandbox.hostnameFile(), readonlyRootfs);
        addIfPresent(out, "/etc/hosts", sandbox.hostsFile(), readonlyRootfs);
        addIfPresent(out, "/etc/resolv.conf", sandbox.resolvConfFile(), readonlyRootfs);
        Path shm = hostIpc || sandbox.shmDir() == null ? Path.of("/dev/shm") : sandbox.shmDir();
        addIfPresent(out, "/dev/shm", shm, false);
        return out;
    }

    private static void addIfPresent(List<Mount> out, String containerPath, Path hostPath, boolean readonly) {
        if (hostPath != null && Files.exists(hostPath)) {
            out.add(Mount.newBuilder().setContainerPath(containerPath).setHostPath(hostPath.toAbsolutePath().toString()).setReadonly(readonly).build());
        }
    }

    /** rshared needs more of the rootfs than rslave, which needs more than the default. */
    private static String strongest(String a, String b) {
        if ("rshared".equals(a) || "rshared".equals(b)) {
            return "rshared";
        }
        return a != null ? a : b;
    }
}
