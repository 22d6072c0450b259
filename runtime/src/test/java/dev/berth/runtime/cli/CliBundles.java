package dev.berth.runtime.cli;

import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Bundles for the CLI's tests: a busybox rootfs and a runc-like config (the little of shim's TestBundles the CLI needs). */
final class CliBundles {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_SETGID",
            "CAP_SETUID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE");

    private CliBundles() {}

    /** Debian's busybox-static: a static binary has no PT_INTERP, so no dynamic loader's name in it. */
    static boolean busyboxIsStatic() throws IOException {
        return Files.isRegularFile(BUSYBOX)
                && !new String(Files.readAllBytes(BUSYBOX), StandardCharsets.ISO_8859_1).contains("/lib64/ld-linux-x86-64.so");
    }

    /** A bundle {@code dir/id} running {@code args}, its rootfs inside it, with annotations. */
    static Path bundle(Path dir, String id, List<String> args) throws IOException {
        Path bundle = dir.resolve(id);
        Path rootfs = bundle.resolve("rootfs");
        for (String d : List.of("bin", "etc", "proc", "dev", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Path busybox = rootfs.resolve("bin/busybox");
        Files.copy(BUSYBOX, busybox);
        for (String applet : List.of("sh", "cat", "echo", "id", "sleep", "pwd", "env")) {
            Files.createLink(rootfs.resolve("bin").resolve(applet), busybox);
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Spec.Process process = new Spec.Process(false, new Spec.User(0L, 0L, null, null), args,
                List.of("PATH=/bin", "HOME=/root", "FROM_CONFIG=yes"), "/",
                new Spec.Capabilities(CAPS, CAPS, List.of(), CAPS, List.of()), null, true, null, null, null);
        List<Spec.Mount> mounts = List.of(
                new Spec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        List<Spec.Namespace> namespaces = List.of(new Spec.Namespace("pid", null), new Spec.Namespace("ipc", null),
                new Spec.Namespace("uts", null), new Spec.Namespace("mount", null));
        Spec.Linux linux = new Spec.Linux(namespaces, null, null, null, null, null, null, null, null, null, null, null);
        // A relative root.path, as runc spec writes it: state must print it resolved against the bundle.
        SpecFiles.write(bundle, new Spec("1.0.2", process, new Spec.Root("rootfs", false), "cli-test", null, mounts,
                Map.of("dev.berth.test", "cli"), linux));
        return bundle;
    }
}
