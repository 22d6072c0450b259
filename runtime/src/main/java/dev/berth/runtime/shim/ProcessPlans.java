package dev.berth.runtime.shim;

import dev.berth.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.List;

/** The process part of a launch plan: identity, limits, capabilities, seccomp, argv. Shared by create and exec. */
public final class ProcessPlans {
    private ProcessPlans() {}

    /**
     * An exec's plan: the process plus the cgroups it joins; namespaces come from the running
     * container. With a terminal, resizes arrive on {@code consoleSocket}.
     */
    public static byte[] forExec(Spec.Process process, Spec.Seccomp seccomp, List<java.nio.file.Path> cgroupDirs,
            java.nio.file.Path consoleSocket) {
        PlanBuilder plan = new PlanBuilder().add("version", "1");
        if (Boolean.TRUE.equals(process.terminal())) {
            plan.add("console_socket", consoleSocket.toString());
        }
        for (java.nio.file.Path dir : cgroupDirs) {
            plan.add("cgroup", dir.toString());
        }
        write(plan, process, seccomp, false);
        return plan.bytes();
    }

    static void write(PlanBuilder plan, Spec.Process process, Spec.Seccomp seccomp, boolean pause) {
        List<String> args = process.args() == null ? List.of() : process.args();
        if (args.isEmpty() && !pause) {
            throw new IllegalArgumentException("process.args is empty: nothing to run");
        }
        if (!args.isEmpty()) {
            plan.add("args", args);
        }
        plan.add("env", process.env() == null ? List.of() : process.env());
        plan.add("cwd", LaunchPlans.absolute("process.cwd", process.cwd() == null ? "/" : process.cwd()));
        Spec.User user = process.user() == null ? new Spec.User(0L, 0L, null, null) : process.user();
        plan.add("user", Long.toString(orZero(user.uid())), Long.toString(orZero(user.gid())));
        List<String> groups = new ArrayList<>();
        for (Long gid : user.additionalGids() == null ? List.<Long>of() : user.additionalGids()) {
            groups.add(Long.toString(gid));
        }
        plan.add("groups", groups);
        if (user.umask() != null) {
            plan.add("umask", Integer.toString(user.umask()));
        }
        if (process.capabilities() != null) {
            Spec.Capabilities caps = process.capabilities();
            plan.add("caps", LaunchPlans.hex(LinuxNames.capabilityMask(caps.bounding())),
                    LaunchPlans.hex(LinuxNames.capabilityMask(caps.effective())),
                    LaunchPlans.hex(LinuxNames.capabilityMask(caps.permitted())),
                    LaunchPlans.hex(LinuxNames.capabilityMask(caps.inheritable())),
                    LaunchPlans.hex(LinuxNames.capabilityMask(caps.ambient())));
        }
        for (Spec.Rlimit limit : process.rlimits() == null ? List.<Spec.Rlimit>of() : process.rlimits()) {
            plan.add("rlimit", Integer.toString(LinuxNames.rlimit(limit.type())),
                    Long.toUnsignedString(limit.soft()), Long.toUnsignedString(limit.hard()));
        }
        if (Boolean.TRUE.equals(process.noNewPrivileges())) {
            plan.add("no_new_privs");
        }
        if (process.oomScoreAdj() != null) {
            plan.add("oom_score_adj", Integer.toString(process.oomScoreAdj()));
        }
        if (Boolean.TRUE.equals(process.terminal())) {
            plan.add("terminal");
        }
        if (seccomp != null) {
            SeccompPlans.write(plan, seccomp);
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
