package dev.berth.runtime.shim;

import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns an OCI config into berth-shim's launch plan. Everything is decided and checked here,
 * in Java; the shim only executes. Errors name the config field at fault.
 */
public final class LaunchPlans {
    private static final Set<String> NAMESPACE_TYPES = Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup");
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");

    /** The devices every container gets (runtime-spec config-linux.md "Default Devices"). */
    private static final List<Spec.Device> DEFAULT_DEVICES = List.of(
            new Spec.Device("c", "/dev/null", 1L, 3L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/zero", 1L, 5L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/full", 1L, 7L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/random", 1L, 8L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/urandom", 1L, 9L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/tty", 5L, 0L, 0666, 0L, 0L));
    private static final Map<String, String> DEFAULT_SYMLINKS = new TreeMap<>(Map.of(
            "/dev/fd", "/proc/self/fd", "/dev/stdin", "/proc/self/fd/0", "/dev/stdout", "/proc/self/fd/1",
            "/dev/stderr", "/proc/self/fd/2"));

    private LaunchPlans() {}

    public static byte[] forContainer(Spec spec, LaunchContext context) throws InvalidSpecException {
        try {
            PlanBuilder plan = new PlanBuilder().add("version", "1");
            Spec.Linux linux = spec.linux() != null ? spec.linux()
                    : new Spec.Linux(null, null, null, null, null, null, null, null, null, null, null, null);
            Set<String> namespaces = namespaces(plan, linux);
            rootfs(plan, spec, linux, context);
            if (namespaces.contains("mount")) {
                mounts(plan, spec, context);
                devices(plan, linux);
                for (String path : nullToEmpty(linux.maskedPaths())) {
                    plan.add("masked", absolute("linux.maskedPaths", path));
                }
                for (String path : nullToEmpty(linux.readonlyPaths())) {
                    plan.add("readonly", absolute("linux.readonlyPaths", path));
                }
            }
            if (spec.hostname() != null && !spec.hostname().isEmpty()) {
                requireNamespace(namespaces, "uts", "hostname");
                plan.add("hostname", spec.hostname());
            }
            if (spec.domainname() != null && !spec.domainname().isEmpty()) {
                requireNamespace(namespaces, "uts", "domainname");
                plan.add("domainname", spec.domainname());
            }
            if (linux.sysctl() != null) {
                new TreeMap<>(linux.sysctl()).forEach((key, value) -> plan.add("sysctl", key, value));
            }
            for (Path dir : context.cgroupDirs()) {
                plan.add("cgroup", dir.toString());
            }
            if (context.logPath() != null) {
                plan.add("log", context.logPath().toString());
            }
            if (context.pause()) {
                plan.add("pause");
            }
            if (context.stdin()) {
                plan.add("stdin");
            }
            if (context.stdinOnce()) {
                plan.add("stdin_once");
            }
            if (spec.process() == null) {
                throw new InvalidSpecException("config.json has no process");
            }
            ProcessPlans.write(plan, spec.process(), linux.seccomp(), context.pause());
            return plan.bytes();
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(e.getMessage());
        }
    }

    private static Set<String> namespaces(PlanBuilder plan, Spec.Linux linux) throws InvalidSpecException {
        Set<String> seen = new HashSet<>();
        for (Spec.Namespace ns : nullToEmpty(linux.namespaces())) {
            if (!NAMESPACE_TYPES.contains(ns.type())) {
                throw new InvalidSpecException("linux.namespaces: unknown namespace type \"" + ns.type()
                        + "\" (Berth supports " + NAMESPACE_TYPES.stream().sorted().toList() + ")");
            }
            if (!seen.add(ns.type())) {
                throw new InvalidSpecException("linux.namespaces: namespace type \"" + ns.type() + "\" is listed twice");
            }
            if (ns.path() != null && !ns.path().isEmpty() && !Files.exists(Path.of(ns.path()))) {
                throw new InvalidSpecException("linux.namespaces: " + ns.type() + " namespace path " + ns.path() + " does not exist");
            }
            plan.add("ns", ns.type(), ns.path() == null ? "" : ns.path());
        }
        for (Spec.IdMapping m : nullToEmpty(linux.uidMappings())) {
            plan.add("uidmap", Long.toString(m.containerID()), Long.toString(m.hostID()), Long.toString(m.size()));
        }
        for (Spec.IdMapping m : nullToEmpty(linux.gidMappings())) {
            plan.add("gidmap", Long.toString(m.containerID()), Long.toString(m.hostID()), Long.toString(m.size()));
        }
        return seen;
    }

    private static void rootfs(PlanBuilder plan, Spec spec, Spec.Linux linux, LaunchContext context) throws InvalidSpecException {
        if (spec.root() == null || spec.root().path() == null) {
            throw new InvalidSpecException("config.json has no root.path");
        }
        Path rootfs = context.bundle().resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new InvalidSpecException("root.path " + rootfs + " does not exist or is not a directory");
        }
        plan.add("rootfs", rootfs.toString());
        if (Boolean.TRUE.equals(spec.root().readonly())) {
            plan.add("rootfs_readonly");
        }
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
            plan.add("rootfs_propagation", "0x" + Long.toHexString(MountOptions.propagationOf(linux.rootfsPropagation())));
        }
    }

    private static void mounts(PlanBuilder plan, Spec spec, LaunchContext context) throws InvalidSpecException {
        for (Spec.Mount mount : nullToEmpty(spec.mounts())) {
            String dest = absolute("mounts[].destination", mount.destination());
            String type = mount.type() == null ? "" : mount.type();
            MountOptions options = MountOptions.parse(type, mount.options());
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                cgroupMount(plan, dest, options, context);
                continue;
            }
            String source = mount.source() == null ? "" : mount.source();
            if ((options.flags() & MountOptions.MS_BIND) != 0) {
                Path src = context.bundle().resolve(source);
                if (!Files.exists(src)) {
                    throw new InvalidSpecException("mounts: bind source " + src + " for " + dest + " does not exist");
                }
                source = src.toString();
            }
            plan.add("mount", dest, type, source, hex(options.flags()), hex(options.propagation()), options.data());
        }
    }

    /**
     * On cgroup v1 the container sees its own cgroup of each hierarchy, bound under a tmpfs
     * (runc does the same); on v2 it mounts cgroup2, which its cgroup namespace roots at its own cgroup.
     */
    private static void cgroupMount(PlanBuilder plan, String dest, MountOptions options, LaunchContext context) {
        long ro = options.flags() & MountOptions.MS_RDONLY;
        long common = MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC;
        if (context.unifiedCgroups()) {
            plan.add("mount", dest, "cgroup2", "cgroup", hex(common | ro), "0", "");
            return;
        }
        plan.add("mount", dest, "tmpfs", "tmpfs", hex(common), "0", "mode=755");
        for (Path dir : context.cgroupDirs()) {
            if (!dir.startsWith(CGROUP_FS) || dir.equals(CGROUP_FS)) {
                continue;
            }
            String hierarchy = CGROUP_FS.relativize(dir).getName(0).toString();
            plan.add("mount", dest + "/" + hierarchy, "bind", dir.toString(),
                    hex(MountOptions.MS_BIND | common | ro), "0", "");
        }
    }

    private static void devices(PlanBuilder plan, Spec.Linux linux) {
        Set<String> paths = new HashSet<>();
        List<Spec.Device> all = new ArrayList<>(nullToEmpty(linux.devices()));
        all.forEach(d -> paths.add(d.path()));
        DEFAULT_DEVICES.stream().filter(d -> !paths.contains(d.path())).forEach(all::add);
        for (Spec.Device d : all) {
            String path = absolute("linux.devices[].path", d.path());
            if (d.type() == null || !Set.of("c", "b", "u", "p").contains(d.type())) {
                throw new IllegalArgumentException("linux.devices: " + path + " has type \"" + d.type() + "\" (c, b, u or p)");
            }
            plan.add("device", path, d.type(), number(d.major()), number(d.minor()),
                    Integer.toString(d.fileMode() == null ? 0666 : d.fileMode()), number(d.uid()), number(d.gid()));
        }
        DEFAULT_SYMLINKS.forEach((link, target) -> plan.add("symlink", target, link));
        plan.add("symlink", "pts/ptmx", "/dev/ptmx");
    }

    private static void requireNamespace(Set<String> namespaces, String type, String field) throws InvalidSpecException {
        if (!namespaces.contains(type)) {
            throw new InvalidSpecException(field + " is set but the config has no " + type + " namespace (it would change the host's)");
        }
    }

    /** An absolute, normalized path with no ".." left, or an error naming the field. */
    static String absolute(String field, String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        Path p = Path.of(path.startsWith("/") ? path : "/" + path).normalize();
        for (Path segment : p) {
            if (segment.toString().equals("..")) {
                throw new IllegalArgumentException(field + " " + path + " climbs above /");
            }
        }
        return p.toString();
    }

    private static String number(Long value) {
        return Long.toString(value == null ? 0 : value);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
