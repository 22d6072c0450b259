package dev.berth.sandbox;

/**
 * RemovePodSandbox: stop the sandbox if needed, delete its pause container and bundle, delete its
 * record and directory, release its name. Idempotent: removing an unknown sandbox succeeds.
 * The record goes last, so a remove cut short is finished by the next one.
 */
final class RemovePodSandbox {
    private final SandboxEnv env;
    private final StopPodSandbox stop;

    RemovePodSandbox(SandboxEnv env, StopPodSandbox stop) {
        this.env = env;
        this.stop = stop;
    }

    /** Removes the sandbox with this exact id; the caller holds its lock. */
    void remove(String id) {
        SandboxRecord record = env.store().get(id).orElse(null);
        if (record == null) {
            return;
        }
        stop.stop(id);
        env.runtime().delete(id, true);
        SandboxStore.deleteTree(env.bundleOf(id));
        env.store().remove(id);
        env.names().release(record.reservedName(), id);
    }
}
