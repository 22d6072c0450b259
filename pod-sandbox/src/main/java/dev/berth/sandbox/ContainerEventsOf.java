package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerEventResponse;
import dev.berth.cri.api.v1.ContainerEventType;

/** The CRI events Berth publishes: the object's id, the event type, and the statuses kubelet wants with it. */
final class ContainerEventsOf {
    private ContainerEventsOf() {}

    /** An event of a container, with its status and its sandbox's (when the sandbox still exists). */
    static ContainerEventResponse container(SandboxEnv env, ContainerRecord record, ContainerEventType type) {
        ContainerEventResponse.Builder event = ContainerEventResponse.newBuilder()
                .setContainerId(record.id())
                .setContainerEventType(type)
                .setCreatedAt(env.nowNanos());
        if (type != ContainerEventType.CONTAINER_DELETED_EVENT) {
            event.addContainersStatuses(ContainerProtos.status(ContainerStates.of(env, record)));
        }
        if (env.store().get(record.sandboxId()).isPresent()) {
            event.setPodSandboxStatus(new SandboxQueries(env).status(record.sandboxId()));
        }
        return event.build();
    }

    /** An event of a sandbox (its pause container, as containerd reports it), with its status and its containers'. */
    static ContainerEventResponse sandbox(SandboxEnv env, String sandboxId, ContainerEventType type) {
        ContainerEventResponse.Builder event = ContainerEventResponse.newBuilder()
                .setContainerId(sandboxId)
                .setContainerEventType(type)
                .setCreatedAt(env.nowNanos());
        if (env.store().get(sandboxId).isPresent()) {
            event.setPodSandboxStatus(new SandboxQueries(env).status(sandboxId));
            for (ContainerRecord c : env.containersOf(sandboxId)) {
                event.addContainersStatuses(ContainerProtos.status(ContainerStates.of(env, c)));
            }
        }
        return event.build();
    }
}
