package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.runtime.ExitStatus;
import java.lang.System.Logger.Level;

/**
 * Notices container exits: once a container runs, its exit is awaited (a virtual thread parked
 * on the shim, see the runtime) and then copied into the record and published as a STOPPED
 * event. Under the container's lock, so a RemoveContainer racing the exit never sees its record
 * written back.
 */
final class ContainerExits {
    private static final System.Logger LOG = System.getLogger(ContainerExits.class.getName());

    private final SandboxEnv env;
    private volatile boolean closed;

    ContainerExits(SandboxEnv env) {
        this.env = env;
    }

    /** Stops acting on exits (the daemon is stopping; its successor takes them from the runtime). */
    void close() {
        closed = true;
    }

    void watch(String id) {
        env.runtime().exit(id).whenCompleteAsync((exit, failure) -> {
            if (failure != null) {
                LOG.log(Level.DEBUG, "no exit status for container {0}: {1}", id, failure.toString());
                return;
            }
            record(id, exit);
        }, ContainerExits::runVirtual);
    }

    /** Not on the thread that completes the exit: that may be a stop waiting while it holds this container's lock. */
    private static void runVirtual(Runnable task) {
        Thread.ofVirtual().name("berth-container-exit").start(task);
    }

    /** Copies the exit into the record (once) and tells subscribers. */
    void record(String id, ExitStatus exit) {
        if (closed) {
            return;
        }
        env.locks().with(ContainerService.lockOf(id), () -> {
            ContainerRecord record = env.containers().get(id).orElse(null);
            if (record == null || record.finished()) {
                return;
            }
            ContainerRecord done = record.withExit(ContainerStates.nanos(exit.exitedAt()), exit.code(), ContainerStates.reason(exit),
                    ContainerStates.message(exit));
            env.containers().put(done);
            env.events().publish(() -> ContainerEventsOf.container(env, done, ContainerEventType.CONTAINER_STOPPED_EVENT));
        });
    }
}
