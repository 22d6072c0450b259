package dev.berth.runtime.shim;

import dev.berth.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An OCI seccomp profile as plan records; berth-shim builds the filter with libseccomp. */
final class SeccompPlans {
    private static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG");
    private static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    /** EPERM, the errno of SCMP_ACT_ERRNO when the profile names none (as runc). */
    private static final int DEFAULT_ERRNO = 1;

    private SeccompPlans() {}

    static void write(PlanBuilder plan, Spec.Seccomp seccomp) {
        String defaultAction = action("linux.seccomp.defaultAction", seccomp.defaultAction());
        int defaultErrno = seccomp.defaultErrnoRet() == null ? DEFAULT_ERRNO : seccomp.defaultErrnoRet();
        plan.add("seccomp", defaultAction, Integer.toString(defaultErrno));
        for (String arch : seccomp.architectures() == null ? List.<String>of() : seccomp.architectures()) {
            // libseccomp's names: SCMP_ARCH_X86_64 -> x86_64
            plan.add("seccomp_arch", arch.replaceFirst("^SCMP_ARCH_", "").toLowerCase(java.util.Locale.ROOT));
        }
        for (Spec.Syscall rule : seccomp.syscalls() == null ? List.<Spec.Syscall>of() : seccomp.syscalls()) {
            String action = action("linux.seccomp.syscalls[].action", rule.action());
            String errno = Integer.toString(rule.errnoRet() == null ? DEFAULT_ERRNO : rule.errnoRet());
            List<String> conditions = new ArrayList<>();
            for (Spec.SyscallArg arg : rule.args() == null ? List.<Spec.SyscallArg>of() : rule.args()) {
                if (!OPERATORS.contains(arg.op())) {
                    throw new IllegalArgumentException("linux.seccomp: unknown operator \"" + arg.op() + "\"");
                }
                conditions.addAll(List.of(Integer.toString(arg.index()), arg.op(),
                        Long.toUnsignedString(arg.value()), Long.toUnsignedString(arg.valueTwo())));
            }
            for (String name : rule.names() == null ? List.<String>of() : rule.names()) {
                List<String> fields = new ArrayList<>(List.of(action, errno, name));
                fields.addAll(conditions);
                plan.add("seccomp_rule", fields);
            }
        }
    }

    private static String action(String field, String action) {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException(field + ": unknown seccomp action \"" + action + "\"");
        }
        return action;
    }
}
