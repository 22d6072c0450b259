package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompProfileFileTest {
    private static final KernelVersion KERNEL_5_10 = new KernelVersion(5, 10);

    private static Spec.Seccomp parse(String json) {
        return SeccompProfileFile.parse(json.getBytes(StandardCharsets.UTF_8), "/etc/p.json", KERNEL_5_10);
    }

    private static List<String> names(Spec.Seccomp seccomp) {
        return seccomp.syscalls().stream().flatMap(rule -> rule.names().stream()).toList();
    }

    private static String refusal(String json) {
        SpecException e = assertThrows(SpecException.class, () -> parse(json));
        assertTrue(e.getMessage().startsWith("the seccomp profile /etc/p.json "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aPlainOciSeccompObjectIsTakenAsIs() {
        Spec.Seccomp seccomp = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                 "architectures": ["SCMP_ARCH_X86_64"], "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                 "syscalls": [
                   {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["kill"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_NE"}]}]}
                """);
        assertEquals(new Spec.Seccomp("SCMP_ACT_ERRNO", 38, List.of("SCMP_ARCH_X86_64"), List.of(
                new Spec.Syscall(List.of("read", "write"), "SCMP_ACT_ALLOW", null, List.of()),
                new Spec.Syscall(List.of("kill"), "SCMP_ACT_ALLOW", null, List.of(new Spec.SyscallArg(1, 9, 0, "SCMP_CMP_NE"))))),
                seccomp);
    }

    @Test
    void archMapGivesTheAmd64EntryAndItsSubArchitectures() {
        Spec.Seccomp seccomp = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "archMap": [
                  {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
                  {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}]}
                """);
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), seccomp.architectures());
        assertEquals(List.of(), seccomp.syscalls());
        assertNull(seccomp.defaultErrnoRet());
    }

    @Test
    void theOldSingleNameIsAccepted() {
        assertEquals(List.of("chmod"), names(parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "chmod", "action": "SCMP_ACT_ERRNO"}]}
                """)));
    }

    @Test
    void rulesAreSelectedForAmd64ThisKernelAndNoCapabilities() {
        Spec.Seccomp seccomp = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["plain"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["needs_sys_admin"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                  {"names": ["without_sys_admin"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
                  {"names": ["amd64_only"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
                  {"names": ["arm_only"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm", "arm64"]}},
                  {"names": ["not_on_amd64"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["amd64"]}},
                  {"names": ["from_4_8"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
                  {"names": ["from_5_11"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "5.11"}},
                  {"names": ["before_5_10"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "5.10"}},
                  {"names": ["before_6_1"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "6.1"}},
                  {"names": ["comment_only"], "action": "SCMP_ACT_ALLOW", "comment": "kept", "includes": {}, "excludes": {}}]}
                """);
        assertEquals(List.of("plain", "without_sys_admin", "amd64_only", "from_4_8", "before_6_1", "comment_only"), names(seccomp));
    }

    @Test
    void argumentValuesAreUnsigned64Bit() {
        Spec.Seccomp seccomp = parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 0, "value": 18446744073709551615, "valueTwo": 4294967295, "op": "SCMP_CMP_MASKED_EQ"}]}]}
                """);
        Spec.SyscallArg arg = seccomp.syscalls().getFirst().args().getFirst();
        assertEquals("18446744073709551615", Long.toUnsignedString(arg.value()));
        assertEquals(0xffffffffL, arg.valueTwo());
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]}
                """).contains("syscalls[0].args[0].value"));
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}
                """).contains("index 6"));
    }

    @Test
    void unknownOrUnsupportedActionsAreRefused() {
        assertTrue(refusal("{\"defaultAction\": \"SCMP_ACT_MAYBE\"}").contains("unknown action \"SCMP_ACT_MAYBE\" in defaultAction"));
        assertTrue(refusal("{}").contains("has no defaultAction"));
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_NOTIFY"}]}
                """).contains("SCMP_ACT_NOTIFY"));
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SOMETIMES"}]}]}
                """).contains("unknown operator \"SCMP_CMP_SOMETIMES\""));
    }

    @Test
    void ambiguousOrIncompleteRulesAreRefused() {
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}
                """).contains("both architectures and archMap"));
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ERRNO"}]}
                """).contains("both name and names"));
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]}
                """).contains("no syscall name in syscalls[0]"));
        assertTrue(refusal("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_Z80\"]}")
                .contains("SCMP_ARCH_Z80"));
        assertTrue(refusal("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}").contains("syscalls that is not a list"));
        assertTrue(refusal("[1, 2]").contains("not a JSON object"));
        assertTrue(refusal("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO", "errnoRet": 70000}]}
                """).contains("errnoRet 70000"));
    }

    @Test
    void kernelReleasesCompareByVersionAndMajorRevision() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v657"));
        assertEquals(new KernelVersion(4, 8), KernelVersion.parse("4.8-rc5"));
        assertNull(KernelVersion.parse("linux"));
        assertTrue(new KernelVersion(5, 10).atLeast(new KernelVersion(4, 20)));
        assertTrue(new KernelVersion(5, 10).atLeast(new KernelVersion(5, 10)));
        assertTrue(!new KernelVersion(5, 10).atLeast(new KernelVersion(5, 11)));
    }

    @Test
    void anOversizedFileIsRefused(@TempDir Path tmp) throws IOException {
        Path file = Files.write(tmp.resolve("huge.json"), new byte[SeccompProfileFile.MAX_BYTES + 1]);
        SpecException e = assertThrows(SpecException.class, () -> SeccompProfileFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
