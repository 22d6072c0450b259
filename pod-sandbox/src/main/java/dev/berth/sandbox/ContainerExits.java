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

    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final SandboxEnv env;
    private volatile boolean closed;
    /** Exits being written now: close lets them finish, so no record write is cut off halfway. */
    private final java.util.concurrent.Phaser recording = new java.util.concurrent.Phaser(1);

    ContainerExits(SandboxEnv env) {
        this.env = env;
    }

    /**
     * Stops acting on exits (the daemon is stopping; its successor takes them from the runtime),
     * after the records being written now are done (at most 2 s).
     */
    void close() {
        closed = true;
        try {
            recording.awaitAdvanceInterruptibly(recording.arrive(), CLOSE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "container exits were still being recorded when the daemon stopped; the next start copies them");
        }
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
        if (closed || recording.register() < 0) {
            return;
        }
        try {
            if (!closed) {
                write(id, exit);
            }
        } finally {
            recording.arriveAndDeregister();
        }
    }

    private void write(String id, ExitStatus exit) {
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
