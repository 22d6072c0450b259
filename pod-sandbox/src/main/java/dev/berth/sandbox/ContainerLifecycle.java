package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.RuntimeFailureException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * StartContainer, StopContainer and RemoveContainer on one container whose lock the caller
 * holds. Stop and remove are idempotent: an exited or unknown container is fine.
 */
final class ContainerLifecycle {
    /** How long a container may take to die after SIGKILL before stop reports failure. */
    static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final SandboxEnv env;
    private final ContainerExits exits;
    private final ContainerStatsQueries stats;

    ContainerLifecycle(SandboxEnv env, ContainerExits exits, ContainerStatsQueries stats) {
        this.env = env;
        this.exits = exits;
        this.stats = stats;
    }

    void start(ContainerRecord record) {
        ContainerState state = ContainerStates.of(env, record).state();
        if (state != ContainerState.CONTAINER_CREATED) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + record.id() + " is "
                    + StateNames.of(state) + "; only a created container can be started");
        }
        try {
            env.runtime().start(record.id());
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "cannot start container " + record.id() + " ("
                    + record.name() + "): " + e.getMessage(), e);
        } finally {
            CheckpointRestore.forget(env, record.id()); // a restored container's images served their one use
        }
        ContainerRecord started = record.withStartedAt(env.nowNanos());
        env.containers().put(started);
        env.events().publish(() -> ContainerEventsOf.container(env, started, ContainerEventType.CONTAINER_STARTED_EVENT));
        exits.watch(record.id());
    }

    /**
     * Sends the stop signal, waits up to {@code timeout} for the exit, then SIGKILL (at once for
     * a zero timeout). Returns when the container has exited.
     */
    void stop(ContainerRecord record, Duration timeout) {
        ContainerState state = ContainerStates.of(env, record).state();
        if (state != ContainerState.CONTAINER_RUNNING && state != ContainerState.CONTAINER_CREATED) {
            return;
        }
        String id = record.id();
        try {
            // A created container's init has not run the program yet: nothing to ask politely.
            if (state == ContainerState.CONTAINER_RUNNING && timeout.compareTo(Duration.ZERO) > 0
                    && record.stopSignal() != Signals.SIGKILL) {
                env.runtime().kill(id, record.stopSignal());
                if (awaitExit(id, timeout) != null) {
                    return;
                }
            }
            env.runtime().kill(id, Signals.SIGKILL);
            ExitStatus exit = awaitExit(id, KILL_WAIT);
            if (exit == null) {
                throw new SandboxException(SandboxException.Kind.UNAVAILABLE, "container " + id + " did not exit within "
                        + KILL_WAIT.toSeconds() + " s of SIGKILL (a process stuck in the kernel?); stop it again");
            }
            exits.record(id, exit);
        } catch (NoSuchContainerException e) {
            // gone meanwhile: nothing left to stop
        }
    }

    private ExitStatus awaitExit(String id, Duration timeout) {
        try {
            return env.runtime().exit(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoSuchContainerException gone) {
                throw gone;
            }
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot wait for container " + id + " to exit: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxException.Kind.INTERNAL, "interrupted while stopping container " + id);
        }
    }

    /** Kills the container if it still runs, deletes it, its rootfs, bundle and record, and frees its name. */
    void remove(ContainerRecord record) {
        String id = record.id();
        env.runtime().delete(id, true);
        env.images().releaseRootfs(id, env.containerBundleOf(id).resolve("rootfs"));
        FileTrees.deleteTree(env.containerBundleOf(id));
        env.containers().remove(id);
        env.containerNames().release(record.reservedName(), id);
        stats.forget(record);
        env.events().publish(() -> ContainerEventsOf.container(env, record, ContainerEventType.CONTAINER_DELETED_EVENT));
    }
}
