package dev.berth.server.streaming;

import dev.berth.sandbox.ContainerService;
import dev.berth.sandbox.SandboxService;

/** {@link StreamTargets} over the node's pods: a URL only for a running container or a ready pod. */
public final class PodStreamTargets implements StreamTargets {
    private final SandboxService sandboxes;
    private final ContainerService containers;

    public PodStreamTargets(SandboxService sandboxes) {
        this.sandboxes = sandboxes;
        this.containers = sandboxes.containers();
    }

    @Override
    public void requireRunningContainer(String containerId) {
        containers.requireRunning(containerId);
    }

    @Override
    public void requireReadySandbox(String podSandboxId) {
        sandboxes.networkNamespaceOf(podSandboxId); // fails unless the sandbox exists and is ready
    }
}
