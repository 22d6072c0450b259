package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerState;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.OomLimit;
import java.time.Instant;

/**
 * A container's CRI state, from its record and what the runtime says now:
 *
 * <pre>
 *   CreateContainer ──▶ CREATED ──StartContainer──▶ RUNNING ──(exit, StopContainer)──▶ EXITED
 *                          └──────(StopPodSandbox kills it)──────────────────────────────▲
 *   RemoveContainer deletes the record from any state.
 *   UNKNOWN: the record says not finished, but the runtime has no such container.
 * </pre>
 *
 * The runtime is the truth while it knows the container (its exit file survives daemon
 * restarts); the exit is copied into the record once seen ({@link ContainerExits}).
 */
final class ContainerStates {
    static final String COMPLETED = "Completed";
    static final String ERROR = "Error";
    static final String OOM_KILLED = "OOMKilled";

    /** The container as CRI reports it. */
    record View(ContainerRecord record, ContainerState state, long startedAt, long finishedAt, int exitCode, String reason,
            String message) {}

    private ContainerStates() {}

    static View of(SandboxEnv env, ContainerRecord record) {
        dev.berth.runtime.ContainerState live;
        try {
            live = env.runtime().state(record.id());
        } catch (NoSuchContainerException e) {
            return record.finished()
                    ? exited(record, record.finishedAtNanos(), record.exitCode(), record.reason(), record.message())
                    : new View(record, ContainerState.CONTAINER_UNKNOWN, record.startedAtNanos(), 0, 0, "Unknown",
                            "the runtime has no container " + record.id() + " (its state was lost); remove it");
        }
        return switch (live.status()) {
            case CREATED -> new View(record, ContainerState.CONTAINER_CREATED, 0, 0, 0, "", "");
            case RUNNING -> new View(record, ContainerState.CONTAINER_RUNNING, startedAt(record, live), 0, 0, "", "");
            case STOPPED -> {
                ExitStatus exit = live.exit();
                yield exit == null
                        ? exited(record, record.finishedAtNanos(), record.exitCode(), record.reason(), record.message())
                        : exited(record, nanos(exit.exitedAt()), exit.code(), reason(exit), message(exit));
            }
        };
    }

    private static View exited(ContainerRecord record, long finishedAt, int code, String reason, String message) {
        return new View(record, ContainerState.CONTAINER_EXITED, record.startedAtNanos(), finishedAt, code, reason,
                message == null ? "" : message);
    }

    /** Completed for 0, OOMKilled when the memory limit killed it, Error otherwise (as containerd). */
    static String reason(ExitStatus exit) {
        if (exit.oomKilled()) {
            return OOM_KILLED;
        }
        return exit.code() == 0 ? COMPLETED : ERROR;
    }

    /**
     * The runtime's own explanation, or for an OOM kill whose limit it was: the container's own,
     * the pod's (its parent cgroup, shared by the pod's containers), or neither.
     */
    static String message(ExitStatus exit) {
        OomLimit limit = exit.oomKilled() ? exit.oomLimit() : null;
        if (limit == null) {
            return exit.reason();
        }
        String bytes = limit.limitBytes() > 0 ? " of " + limit.limitBytes() + " bytes" : "";
        return switch (limit.scope()) {
            case CONTAINER -> "the OOM killer ended it at the container's own memory limit" + bytes + " (cgroup " + limit.cgroupsPath() + ")";
            case PARENT -> "the OOM killer ended it at the pod's memory limit" + bytes + " (cgroup " + limit.cgroupsPath()
                    + ", shared by the pod's containers), not at the container's own";
            case OTHER -> "the OOM killer ended it, but neither the container's nor the pod's memory limit was reached:"
                    + " the node ran out of memory, or a limit above the pod's cgroup was reached";
        };
    }

    /** A running container whose start was not recorded (the daemon died mid-start) reports its creation time. */
    private static long startedAt(ContainerRecord record, dev.berth.runtime.ContainerState live) {
        if (record.started()) {
            return record.startedAtNanos();
        }
        return live.createdAt() == null ? record.createdAtNanos() : nanos(live.createdAt());
    }

    static long nanos(Instant t) {
        return t == null ? 0 : t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
