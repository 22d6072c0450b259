package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.runtime.AttachSession;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.cgroup.MemoryLimitBelowUsageException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import dev.berth.sandbox.spec.ContainerSpecs;
import dev.berth.sandbox.spec.SpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The calls on a running container that are not its lifecycle: ExecSync, UpdateContainerResources, ReopenContainerLog. */
final class ContainerExecs {
    private final SandboxEnv env;

    ContainerExecs(SandboxEnv env) {
        this.env = env;
    }

    /** Runs the command with the container's own user, env, cwd and security settings, without a terminal. */
    ExecResult execSync(ContainerRecord record, List<String> command, Duration timeout, int maxOutputBytes) {
        if (command.isEmpty()) {
            throw SandboxException.invalid("exec into container " + record.id() + " has an empty command");
        }
        requireRunning(record, "exec into it");
        Spec.Process process = withArgs(containerProcess(record), command, false);
        try {
            return env.runtime().execSync(record.id(), process, timeout, maxOutputBytes);
        } catch (NoSuchContainerException e) {
            throw SandboxException.containerNotFound(record.id());
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "exec in container " + record.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Starts the command for a streaming exec: the container's user, env, cwd and security settings, a terminal if asked. */
    ExecProcess startExec(ContainerRecord record, List<String> command, boolean tty) {
        if (command.isEmpty()) {
            throw SandboxException.invalid("exec into container " + record.id() + " has an empty command");
        }
        requireRunning(record, "exec into it");
        Spec.Process process = withArgs(containerProcess(record), command, tty);
        try {
            return env.runtime().exec(record.id(), process);
        } catch (NoSuchContainerException e) {
            throw SandboxException.containerNotFound(record.id());
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "exec in container " + record.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Connects to the running container's stdio through its shim. */
    AttachSession attach(ContainerRecord record) {
        requireRunning(record, "attach to it");
        try {
            return env.runtime().attach(record.id());
        } catch (java.io.IOException | RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot attach to container " + record.id() + ": " + e.getMessage(), e);
        }
    }

    /** New limits for the container's cgroup, also written into its bundle so later reads agree. */
    void updateResources(ContainerRecord record, LinuxContainerResources resources) {
        ContainerState state = ContainerStates.of(env, record).state();
        if (state != ContainerState.CONTAINER_CREATED && state != ContainerState.CONTAINER_RUNNING) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + record.id() + " is "
                    + StateNames.of(state) + "; only a created or running container's resources can change");
        }
        Spec.Resources wanted;
        try {
            wanted = ContainerSpecs.resources(resources);
        } catch (SpecException e) {
            throw SandboxException.invalid("container " + record.id() + ": " + e.getMessage());
        }
        try {
            env.runtime().update(record.id(), wanted);
        } catch (MemoryLimitBelowUsageException e) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + record.id() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("container " + record.id() + ": " + e.getMessage());
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot update the resources of container " + record.id()
                    + ": " + e.getMessage(), e);
        }
        rewriteResources(record, resources, wanted);
    }

    void reopenLog(ContainerRecord record) {
        requireRunning(record, "reopen its log");
        try {
            env.runtime().reopenLog(record.id());
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot reopen the log of container " + record.id() + ": "
                    + e.getMessage(), e);
        }
    }

    void requireRunning(ContainerRecord record, String what) {
        ContainerState state = ContainerStates.of(env, record).state();
        if (state != ContainerState.CONTAINER_RUNNING) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + record.id() + " is "
                    + StateNames.of(state) + "; it must be running to " + what);
        }
    }

    private Spec.Process containerProcess(ContainerRecord record) {
        try {
            return SpecFiles.read(env.containerBundleOf(record.id())).process();
        } catch (InvalidSpecException | RuntimeException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot read the bundle of container " + record.id() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The container's own process settings with another command, with or without a terminal. */
    private static Spec.Process withArgs(Spec.Process p, List<String> args, boolean tty) {
        return new Spec.Process(tty, p.user(), List.copyOf(args), p.env(), p.cwd(), p.capabilities(), p.rlimits(),
                p.noNewPrivileges(), p.oomScoreAdj(), p.apparmorProfile(), p.selinuxLabel());
    }

    private void rewriteResources(ContainerRecord record, LinuxContainerResources asked, Spec.Resources wanted) {
        Path bundle = env.containerBundleOf(record.id());
        try {
            Spec spec = SpecFiles.read(bundle);
            Spec.Linux l = spec.linux();
            Spec.Linux linux = new Spec.Linux(l.namespaces(), l.uidMappings(), l.gidMappings(), l.devices(), l.cgroupsPath(), wanted,
                    l.rootfsPropagation(), l.seccomp(), l.sysctl(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel());
            Spec.Process p = spec.process();
            Integer oom = asked.getOomScoreAdj() != 0 ? Integer.valueOf((int) asked.getOomScoreAdj()) : p.oomScoreAdj();
            Spec.Process process = new Spec.Process(p.terminal(), p.user(), p.args(), p.env(), p.cwd(), p.capabilities(), p.rlimits(),
                    p.noNewPrivileges(), oom, p.apparmorProfile(), p.selinuxLabel());
            SpecFiles.write(bundle, new Spec(spec.ociVersion(), process, spec.root(), spec.hostname(), spec.domainname(), spec.mounts(),
                    spec.annotations(), linux));
        } catch (InvalidSpecException | IOException | RuntimeException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "updated container " + record.id()
                    + " but cannot write its new resources into " + bundle + ": " + e.getMessage(), e);
        }
    }
}
