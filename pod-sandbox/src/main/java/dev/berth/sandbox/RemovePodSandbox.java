package dev.berth.sandbox;

/**
 * RemovePodSandbox: stop the sandbox if needed, remove its containers, delete its pause container,
 * its own pod cgroup (one kubelet made is kubelet's to remove) and bundle, delete its record and
 * directory, release its name. Idempotent: removing an unknown sandbox succeeds.
 * The record goes last, so a remove cut short is finished by the next one.
 */
final class RemovePodSandbox {
    private final SandboxEnv env;
    private final StopPodSandbox stop;
    private final ContainerService containers;

    RemovePodSandbox(SandboxEnv env, StopPodSandbox stop, ContainerService containers) {
        this.env = env;
        this.stop = stop;
        this.containers = containers;
    }

    /** Removes the sandbox with this exact id; the caller holds its lock. */
    void remove(String id) {
        SandboxRecord record = env.store().get(id).orElse(null);
        if (record == null) {
            return;
        }
        stop.stop(id);
        containers.removeAllOf(id);
        env.runtime().delete(id, true);
        if (record.podCgroup() != null && record.podCgroup().owned()) {
            removeCgroup(id, record.podCgroup().path());
        }
        FileTrees.deleteTree(env.bundleOf(id));
        env.store().remove(id);
        env.names().release(record.reservedName(), id);
        env.events().publish(() -> ContainerEventsOf.sandbox(env, id, dev.berth.cri.api.v1.ContainerEventType.CONTAINER_DELETED_EVENT));
    }

    /** Its members' cgroups are gone by now; one still busy keeps the record, so a later remove tries again. */
    private void removeCgroup(String id, String path) {
        try {
            env.cgroups().destroy(path);
        } catch (RuntimeException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "pod sandbox " + id + ": cannot remove its cgroup " + path + ": "
                    + e.getMessage() + "; remove the sandbox again", e);
        }
    }
}
