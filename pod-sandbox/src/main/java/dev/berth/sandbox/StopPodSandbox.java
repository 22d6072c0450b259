package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.NoSuchContainerException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * StopPodSandbox: kill the pod's containers and its pause process, unmount its /dev/shm, tear
 * down the pod network, record NOTREADY.
 * Idempotent: stopping a NOTREADY or unknown sandbox succeeds, and a stop that failed half-way
 * can be repeated (each step tolerates its work being done already). The network namespace
 * pin and IPs stay in the record for status; the namespace itself is gone.
 */
final class StopPodSandbox {
    static final int SIGKILL = 9;
    static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final SandboxEnv env;
    private final ContainerService containers;

    StopPodSandbox(SandboxEnv env, ContainerService containers) {
        this.env = env;
        this.containers = containers;
    }

    /** Stops the sandbox with this exact id; the caller holds its lock. */
    void stop(String id) {
        SandboxRecord record = env.store().get(id).orElse(null);
        if (record == null) {
            return;
        }
        containers.stopAllOf(id);
        killPause(id);
        Mounts.unmountAll(env.sys(), env.shmOf(id));
        if (!record.namespaces().hostNetwork()) {
            env.network().tearDown(id);
        }
        if (record.state() != SandboxState.NOTREADY) {
            env.store().put(record.stopped());
            env.events().publish(() -> ContainerEventsOf.sandbox(env, id, ContainerEventType.CONTAINER_STOPPED_EVENT));
        }
    }

    private void killPause(String id) {
        try {
            if (env.runtime().state(id).status() == ContainerStatus.STOPPED) {
                return;
            }
            env.runtime().kill(id, SIGKILL);
            env.runtime().exit(id).get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NoSuchContainerException e) {
            // never created or deleted already
        } catch (TimeoutException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "the pause process of sandbox " + id
                    + " did not exit within " + EXIT_WAIT.toSeconds() + " s of SIGKILL; stop it again");
        } catch (ExecutionException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot wait for the pause process of sandbox " + id
                    + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxException.Kind.INTERNAL, "interrupted while stopping sandbox " + id);
        }
    }
}
