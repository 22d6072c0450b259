package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.SecurityProfile;
import dev.berth.cri.api.v1.SecurityProfile.ProfileType;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompProfilesTest {
    @TempDir
    Path tmp;

    private static SecurityProfile profile(ProfileType type, String ref) {
        return SecurityProfile.newBuilder().setProfileType(type).setLocalhostRef(ref).build();
    }

    /** The rules for {@code name}, in order. */
    private static List<Spec.Syscall> rulesFor(Spec.Seccomp seccomp, String name) {
        return seccomp.syscalls().stream().filter(rule -> rule.names().contains(name)).toList();
    }

    private static boolean allowedUnconditionally(Spec.Seccomp seccomp, String name) {
        return rulesFor(seccomp, name).stream().anyMatch(rule -> rule.action().equals("SCMP_ACT_ALLOW") && rule.args().isEmpty());
    }

    private Path file(String json) throws IOException {
        return Files.writeString(tmp.resolve("profile.json"), json);
    }

    @Test
    void noProfileAndNoLegacyPathIsUnconfined() {
        assertNull(SeccompProfiles.forContainer(null, "", false));
        assertNull(SeccompProfiles.forContainer(null, null, false));
    }

    @Test
    void privilegedContainersAreUnconfinedWhateverTheyAskFor() {
        assertNull(SeccompProfiles.forContainer(profile(ProfileType.RuntimeDefault, ""), "", true));
        assertNull(SeccompProfiles.forContainer(profile(ProfileType.Localhost, "/missing.json"), "", true));
    }

    @Test
    void theProfileFieldWinsOverTheLegacyPath() {
        assertSame(SeccompProfiles.runtimeDefault(), SeccompProfiles.forContainer(profile(ProfileType.RuntimeDefault, ""), "unconfined", false));
        assertNull(SeccompProfiles.forContainer(profile(ProfileType.Unconfined, ""), "runtime/default", false));
    }

    @Test
    void legacyPathsMapAsContainerdMapsThem() throws IOException {
        assertSame(SeccompProfiles.runtimeDefault(), SeccompProfiles.forContainer(null, "runtime/default", false));
        assertSame(SeccompProfiles.runtimeDefault(), SeccompProfiles.forContainer(null, "docker/default", false));
        assertNull(SeccompProfiles.forContainer(null, "unconfined", false));
        Path file = file("{\"defaultAction\":\"SCMP_ACT_LOG\"}");
        assertEquals("SCMP_ACT_LOG", SeccompProfiles.forContainer(null, "localhost/" + file, false).defaultAction());
        SpecException e = assertThrows(SpecException.class, () -> SeccompProfiles.forContainer(null, "strict", false));
        assertTrue(e.getMessage().contains("\"strict\""), e.getMessage());
    }

    @Test
    void aLocalhostProfileIsReadFromItsAbsolutePath() throws IOException {
        Path file = file("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
                """);
        Spec.Seccomp seccomp = SeccompProfiles.forContainer(profile(ProfileType.Localhost, file.toString()), "", false);
        assertEquals(List.of(new Spec.Syscall(List.of("mount"), "SCMP_ACT_ERRNO", 13, List.of())), seccomp.syscalls());
    }

    @Test
    void aLocalhostRefMustBeAnAbsolutePathToAReadableProfile() throws IOException {
        SpecException relative = assertThrows(SpecException.class,
                () -> SeccompProfiles.forContainer(profile(ProfileType.Localhost, "profiles/a.json"), "", false));
        assertTrue(relative.getMessage().contains("not an absolute path"), relative.getMessage());
        Path missing = tmp.resolve("missing.json");
        SpecException absent = assertThrows(SpecException.class,
                () -> SeccompProfiles.forContainer(profile(ProfileType.Localhost, missing.toString()), "", false));
        assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());
        Path garbled = file("{\"defaultAction\": ");
        SpecException malformed = assertThrows(SpecException.class,
                () -> SeccompProfiles.forContainer(profile(ProfileType.Localhost, garbled.toString()), "", false));
        assertTrue(malformed.getMessage().contains(garbled.toString()), malformed.getMessage());
        SpecException directory = assertThrows(SpecException.class,
                () -> SeccompProfiles.forContainer(profile(ProfileType.Localhost, tmp.toString()), "", false));
        assertTrue(directory.getMessage().contains("not a regular file"), directory.getMessage());
    }

    @Test
    void aLocalhostRefWithAnotherTypeIsRefused() {
        assertThrows(SpecException.class, () -> SeccompProfiles.forContainer(profile(ProfileType.RuntimeDefault, "/p.json"), "", false));
    }

    @Test
    void runtimeDefaultDeniesWithEpermOnAmd64() {
        Spec.Seccomp seccomp = SeccompProfiles.runtimeDefault();
        assertEquals("SCMP_ACT_ERRNO", seccomp.defaultAction());
        assertEquals(1, seccomp.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), seccomp.architectures());
    }

    @Test
    void runtimeDefaultAllowsWhatOrdinaryProgramsNeed() {
        Spec.Seccomp seccomp = SeccompProfiles.runtimeDefault();
        for (String name : List.of("read", "write", "openat", "close", "mmap", "execve", "exit_group", "futex", "rt_sigaction",
                "epoll_pwait", "accept4", "setuid", "arch_prctl", "ptrace", "chroot", "getrandom")) {
            assertTrue(allowedUnconditionally(seccomp, name), name);
        }
    }

    @Test
    void runtimeDefaultDeniesWhatWouldLeaveTheSandbox() {
        Spec.Seccomp seccomp = SeccompProfiles.runtimeDefault();
        for (String name : List.of("mount", "umount2", "unshare", "setns", "keyctl", "add_key", "request_key", "bpf",
                "perf_event_open", "init_module", "finit_module", "kexec_load", "reboot", "swapon", "open_by_handle_at",
                "userfaultfd", "io_uring_setup", "clock_settime")) {
            assertEquals(List.of(), rulesFor(seccomp, name), name);
        }
    }

    @Test
    void cloneIsAllowedOnlyWithoutNamespaceFlagsAndClone3FailsWithEnosys() {
        Spec.Seccomp seccomp = SeccompProfiles.runtimeDefault();
        assertEquals(List.of(new Spec.Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null,
                List.of(new Spec.SyscallArg(0, 0x7E020000L, 0, "SCMP_CMP_MASKED_EQ")))), rulesFor(seccomp, "clone"));
        assertEquals(List.of(new Spec.Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", 38, List.of())), rulesFor(seccomp, "clone3"));
    }

    @Test
    void personalityAndSocketAreArgumentFiltered() {
        Spec.Seccomp seccomp = SeccompProfiles.runtimeDefault();
        assertEquals(List.of(0x0L, 0x8L, 0x20000L, 0x20008L, 0xffffffffL), rulesFor(seccomp, "personality").stream()
                .map(rule -> rule.args().getFirst().value()).toList());
        // AF_ALG (38) and AF_VSOCK (40) match no rule; every other family matches one.
        assertEquals(List.of("SCMP_CMP_LT 38", "SCMP_CMP_EQ 39", "SCMP_CMP_GT 40"), rulesFor(seccomp, "socket").stream()
                .map(rule -> rule.args().getFirst().op() + " " + rule.args().getFirst().value()).toList());
    }

    @Test
    void theAllowListHoldsPlausibleSyscallNamesOnce() {
        List<String> names = SeccompProfiles.syscallList();
        assertTrue(names.size() > 300, "only " + names.size() + " names");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            assertTrue(name.matches("[a-z0-9_]+"), name);
            assertTrue(seen.add(name), name + " listed twice");
        }
        assertFalse(seen.contains("clone") || seen.contains("clone3") || seen.contains("socket") || seen.contains("personality"),
                "argument-filtered syscalls must not also be allowed unconditionally");
    }
}
