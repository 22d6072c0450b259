package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.SecurityProfile;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The seccomp filter of a container, chosen as containerd's CRI plugin does
 * ({@code GenerateSeccompSecurityProfile}, {@code GenerateSeccompSpecOpts}): the
 * {@code seccomp} field, else the deprecated {@code seccomp_profile_path}, else none
 * (unconfined, as containerd with kubelet's default); privileged containers get none.
 */
public final class SeccompProfiles {
    static final String ALLOW = "SCMP_ACT_ALLOW";
    static final String ERRNO = "SCMP_ACT_ERRNO";
    static final int EPERM = 1;
    static final int ENOSYS = 38;
    /** CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: new namespaces need CAP_SYS_ADMIN. */
    static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
    /** PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32 and 0xffffffff (query), as moby. */
    static final List<Long> PERSONALITIES = List.of(0x0L, 0x8L, 0x20000L, 0x20008L, 0xffffffffL);
    /** AF_ALG and AF_VSOCK, the socket families containerd's profile refuses; 39 (AF_NFC) between them is allowed. */
    static final int AF_ALG = 38;
    static final int AF_VSOCK = 40;
    static final String SYSCALL_LIST = "runtime-default-seccomp.txt";

    private static final String LOCALHOST_PREFIX = "localhost/";
    private static final Spec.Seccomp RUNTIME_DEFAULT = buildRuntimeDefault();
    /**
     * Syscalls the default profile allows only to a container holding the capability (moby's
     * default.json "includes.caps" rules); an unconditional clone comes with CAP_SYS_ADMIN, which
     * may make namespaces.
     */
    static final Map<String, List<String>> CAPABILITY_SYSCALLS = Map.ofEntries(
            Map.entry("CAP_SYS_ADMIN", List.of("bpf", "clone", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
                    "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl",
                    "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare")),
            Map.entry("CAP_SYS_BOOT", List.of("reboot")),
            Map.entry("CAP_SYS_MODULE", List.of("delete_module", "init_module", "finit_module")),
            Map.entry("CAP_SYS_PACCT", List.of("acct")),
            Map.entry("CAP_SYS_PTRACE", List.of("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
                    "process_vm_writev", "ptrace")),
            Map.entry("CAP_SYS_RAWIO", List.of("iopl", "ioperm")),
            Map.entry("CAP_SYS_TIME", List.of("settimeofday", "stime", "clock_settime", "clock_settime64")),
            Map.entry("CAP_SYS_TTY_CONFIG", List.of("vhangup")),
            Map.entry("CAP_SYS_NICE", List.of("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node")),
            Map.entry("CAP_SYSLOG", List.of("syslog")),
            Map.entry("CAP_BPF", List.of("bpf")),
            Map.entry("CAP_PERFMON", List.of("perf_event_open")));

    private SeccompProfiles() {}

    /**
     * The seccomp filter for a container: null means unconfined. {@code profile} may be null
     * (field absent); {@code legacyPath} is the deprecated seccomp_profile_path ("" when unset).
     * Privileged containers get null.
     */
    public static Spec.Seccomp forContainer(SecurityProfile profile, String legacyPath, boolean privileged) throws SpecException {
        return forContainer(profile, legacyPath, privileged, List.of());
    }

    /**
     * Like {@link #forContainer(SecurityProfile, String, boolean)} for a container holding
     * {@code capabilities} (CAP_ names): RuntimeDefault then also allows the syscalls those
     * capabilities exist for, as containerd's and Docker's profile does (sethostname and mount
     * with CAP_SYS_ADMIN, ptrace's relatives with CAP_SYS_PTRACE...).
     */
    public static Spec.Seccomp forContainer(SecurityProfile profile, String legacyPath, boolean privileged,
            Collection<String> capabilities) throws SpecException {
        if (privileged) {
            return null;
        }
        SecurityProfile chosen = profile != null ? profile : fromLegacyPath(legacyPath == null ? "" : legacyPath);
        if (chosen == null) {
            return null;
        }
        if (chosen.getProfileType() != SecurityProfile.ProfileType.Localhost && !chosen.getLocalhostRef().isEmpty()) {
            throw new SpecException("seccomp localhostRef \"" + chosen.getLocalhostRef() + "\" is set for profile type "
                    + chosen.getProfileType() + "; set it only with type Localhost");
        }
        return switch (chosen.getProfileType()) {
            case RuntimeDefault -> runtimeDefault(capabilities);
            case Unconfined -> null;
            case Localhost -> SeccompProfileFile.read(localhostFile(chosen.getLocalhostRef()));
            case UNRECOGNIZED -> throw new SpecException("unknown seccomp profile type " + chosen.getProfileTypeValue()
                    + "; use RuntimeDefault, Unconfined or Localhost");
        };
    }

    /** Berth's built-in RuntimeDefault profile. */
    public static Spec.Seccomp runtimeDefault() {
        return RUNTIME_DEFAULT;
    }

    /** The default profile plus the syscalls of the capabilities held beyond the default set. */
    static Spec.Seccomp runtimeDefault(Collection<String> capabilities) {
        List<String> extra = new ArrayList<>();
        CAPABILITY_SYSCALLS.forEach((cap, names) -> {
            if (capabilities.contains(cap)) {
                names.stream().filter(n -> !extra.contains(n)).forEach(extra::add);
            }
        });
        if (extra.isEmpty()) {
            return RUNTIME_DEFAULT;
        }
        List<Spec.Syscall> rules = new ArrayList<>(RUNTIME_DEFAULT.syscalls());
        rules.add(new Spec.Syscall(List.copyOf(extra), ALLOW, null, List.of()));
        return new Spec.Seccomp(RUNTIME_DEFAULT.defaultAction(), RUNTIME_DEFAULT.defaultErrnoRet(), RUNTIME_DEFAULT.architectures(),
                List.copyOf(rules));
    }

    /** seccomp_profile_path as a profile; null for "" (unconfined). */
    private static SecurityProfile fromLegacyPath(String path) {
        SecurityProfile.Builder profile = SecurityProfile.newBuilder();
        return switch (path) {
            case "" -> null;
            case "runtime/default", "docker/default" -> profile.setProfileType(SecurityProfile.ProfileType.RuntimeDefault).build();
            case "unconfined" -> profile.setProfileType(SecurityProfile.ProfileType.Unconfined).build();
            default -> {
                if (!path.startsWith(LOCALHOST_PREFIX)) {
                    throw new SpecException("invalid seccomp_profile_path \"" + path
                            + "\"; use runtime/default, unconfined or localhost/<absolute path>");
                }
                yield profile.setProfileType(SecurityProfile.ProfileType.Localhost)
                        .setLocalhostRef(path.substring(LOCALHOST_PREFIX.length())).build();
            }
        };
    }

    private static Path localhostFile(String ref) {
        // containerd trims the prefix even from localhostRef, where it should not be.
        String path = ref.startsWith(LOCALHOST_PREFIX) ? ref.substring(LOCALHOST_PREFIX.length()) : ref;
        if (!path.startsWith("/")) {
            throw new SpecException("seccomp localhostRef \"" + ref + "\" is not an absolute path; "
                    + "give the absolute path of the profile on the node");
        }
        return Path.of(path);
    }

    /**
     * containerd's default profile for an amd64 host, kernel >= 4.8, and its default
     * capabilities (none of which is CAP_SYS_ADMIN): the unconditional allow-list lives in
     * {@value #SYSCALL_LIST}, the argument-filtered rules here.
     */
    private static Spec.Seccomp buildRuntimeDefault() {
        List<Spec.Syscall> rules = new ArrayList<>();
        rules.add(new Spec.Syscall(syscallList(), ALLOW, null, List.of()));
        for (long persona : PERSONALITIES) {
            rules.add(allowIf("personality", new Spec.SyscallArg(0, persona, 0, "SCMP_CMP_EQ")));
        }
        // Threads and processes, but no new namespaces (they would escape the pod's).
        rules.add(allowIf("clone", new Spec.SyscallArg(0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ")));
        // clone3 takes its flags in memory seccomp cannot see; ENOSYS makes glibc fall back to clone.
        rules.add(new Spec.Syscall(List.of("clone3"), ERRNO, ENOSYS, List.of()));
        // Three single-condition rules, not one "!= AF_ALG and != AF_VSOCK": runc and libseccomp
        // would treat two conditions on one argument as "or".
        rules.add(allowIf("socket", new Spec.SyscallArg(0, AF_ALG, 0, "SCMP_CMP_LT")));
        rules.add(allowIf("socket", new Spec.SyscallArg(0, AF_ALG + 1, 0, "SCMP_CMP_EQ")));
        rules.add(allowIf("socket", new Spec.SyscallArg(0, AF_VSOCK, 0, "SCMP_CMP_GT")));
        return new Spec.Seccomp(ERRNO, EPERM, SeccompProfileFile.NATIVE_ARCHES, List.copyOf(rules));
    }

    private static Spec.Syscall allowIf(String name, Spec.SyscallArg condition) {
        return new Spec.Syscall(List.of(name), ALLOW, null, List.of(condition));
    }

    /** The names in {@value #SYSCALL_LIST}: whitespace-separated, "#" starts a comment line. */
    static List<String> syscallList() {
        try (InputStream in = SeccompProfiles.class.getResourceAsStream(SYSCALL_LIST)) {
            if (in == null) {
                throw new IllegalStateException(SYSCALL_LIST + " is missing from the pod-sandbox jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(line -> !line.startsWith("#"))
                    .flatMap(line -> Arrays.stream(line.trim().split("\\s+"))).filter(name -> !name.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SYSCALL_LIST + " from the pod-sandbox jar", e);
        }
    }
}
