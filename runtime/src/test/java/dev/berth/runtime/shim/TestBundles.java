package dev.berth.runtime.shim;

import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OCI bundles for tests: a busybox rootfs made from Debian's busybox-static, and a runc-like default config. */
final class TestBundles {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
            "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
            "CAP_KILL", "CAP_AUDIT_WRITE");

    private TestBundles() {}

    static boolean busyboxIsStatic() throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            return false;
        }
        byte[] head = Files.readAllBytes(BUSYBOX);
        // A static binary has no PT_INTERP, so no "/lib64/ld-linux" string.
        return !new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/lib64/ld-linux-x86-64.so");
    }

    /** Builds {@code dir/rootfs} with busybox and its applets as hard links, /etc/passwd and group. */
    static Path rootfs(Path dir) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        for (String d : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Path busybox = rootfs.resolve("bin/busybox");
        Files.copy(BUSYBOX, busybox);
        for (String applet : List.of("sh", "ls", "cat", "echo", "id", "hostname", "sleep", "grep", "mkdir", "touch", "head", "true",
                "ps", "mount", "env", "ulimit", "wc", "printf", "seq", "tty", "stty", "tr", "pwd")) {
            Files.createLink(rootfs.resolve("bin").resolve(applet), busybox);
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        return rootfs;
    }

    /** A bundle in {@code dir} running {@code args} with runc's default mounts, namespaces and security. */
    static Path bundle(Path dir, String id, List<String> args) throws IOException {
        Path bundle = dir.resolve(id);
        Files.createDirectories(bundle);
        if (!Files.exists(dir.resolve("rootfs"))) {
            rootfs(dir);
        }
        SpecFiles.write(bundle, spec(dir.resolve("rootfs").toString(), "/berth-test/" + id, args));
        return bundle;
    }

    static Spec spec(String rootfs, String cgroupsPath, List<String> args) {
        Spec.Process process = new Spec.Process(false, new Spec.User(0L, 0L, null, List.of(10L)), args,
                List.of("PATH=/bin", "HOME=/root"), "/",
                new Spec.Capabilities(DEFAULT_CAPS, DEFAULT_CAPS, List.of(), DEFAULT_CAPS, List.of()),
                List.of(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true, null, null, null);
        List<Spec.Mount> mounts = List.of(
                new Spec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Spec.Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")),
                new Spec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Spec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Spec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        List<Spec.Namespace> namespaces = new ArrayList<>();
        for (String type : List.of("pid", "network", "ipc", "uts", "mount")) {
            namespaces.add(new Spec.Namespace(type, null));
        }
        Spec.Linux linux = new Spec.Linux(namespaces, null, null, null, cgroupsPath, null, null, null, null,
                List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), null);
        return new Spec("1.0.2", process, new Spec.Root(rootfs, false), "berth-test", null, mounts, Map.of(), linux);
    }
}
