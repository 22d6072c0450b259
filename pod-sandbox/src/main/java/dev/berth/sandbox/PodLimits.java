package dev.berth.sandbox;

import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.LinuxPodSandboxConfig;
import dev.berth.runtime.cgroup.MemoryLimitBelowUsageException;
import dev.berth.runtime.oci.Spec;
import dev.berth.sandbox.spec.PodResources;
import dev.berth.sandbox.spec.SpecException;

/** The pod-level resources and overhead of a sandbox: checked from the request, and applied to a pod cgroup Berth owns. */
final class PodLimits {
    /** The two as given, converted; either may be null. */
    record Parsed(Spec.Resources resources, Spec.Resources overhead) {}

    private PodLimits() {}

    /** From RunPodSandbox's config; {@code what} names the pod in messages. */
    static Parsed parse(LinuxPodSandboxConfig linux, String what) {
        return parse(linux.hasResources() ? linux.getResources() : null, linux.hasOverhead() ? linux.getOverhead() : null,
                "linux.", what);
    }

    /** {@code prefix} leads the field names in messages ("linux." in a sandbox config, "" in UpdatePodSandboxResources). */
    static Parsed parse(LinuxContainerResources resources, LinuxContainerResources overhead, String prefix, String what) {
        try {
            return new Parsed(PodResources.of(resources, prefix + "resources"), PodResources.of(overhead, prefix + "overhead"));
        } catch (SpecException e) {
            throw SandboxException.invalid(what + ": " + e.getMessage());
        }
    }

    /** Makes the sandbox's own pod cgroup with its limits; a failure leaves no directory behind. */
    static void makeCgroup(SandboxEnv env, SandboxRecord record) {
        PodCgroup cgroup = record.podCgroup();
        try {
            env.cgroups().create(cgroup.path(), cgroup.limits());
        } catch (RuntimeException e) {
            try {
                env.cgroups().destroy(cgroup.path());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw failure(record.id(), cgroup, e);
        }
    }

    /** Writes the limits of {@code cgroup} (one Berth owns) into it; a memory or CPU limit no longer given is lifted. */
    static void apply(SandboxEnv env, String sandboxId, PodCgroup cgroup) {
        try {
            env.cgroups().update(cgroup.path(), PodResources.unlimitedWhereUnset(cgroup.limits()));
        } catch (RuntimeException e) {
            throw failure(sandboxId, cgroup, e);
        }
    }

    private static SandboxException failure(String sandboxId, PodCgroup cgroup, RuntimeException e) {
        String message = "pod sandbox " + sandboxId + ": cannot apply the pod's resources and overhead to its cgroup " + cgroup.path()
                + ": " + e.getMessage();
        if (e instanceof MemoryLimitBelowUsageException) {
            return new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, message, e);
        }
        if (e instanceof IllegalArgumentException) {
            return new SandboxException(SandboxException.Kind.INVALID_ARGUMENT, message, e);
        }
        return new SandboxException(SandboxException.Kind.INTERNAL, message, e);
    }
}
