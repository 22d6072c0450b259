package dev.berth.sandbox;

import dev.berth.cri.api.v1.LinuxContainerResources;

/**
 * UpdatePodSandboxResources: kubelet tells the runtime a pod's new resources and overhead after an
 * in-place resize, once it has resized the pod's cgroup itself (the CRI calls it after that, and
 * treats a failure as best effort; containerd and CRI-O pass it on to NRI and touch no cgroup).
 * Berth records them (a field left out keeps its value) and, for a pod cgroup it made itself
 * because no cgroup parent came (see {@link PodCgroup}), writes the new limits: resources plus
 * overhead, a limit no longer given lifted. A memory limit below the pod's usage is refused
 * (FAILED_PRECONDITION, with the usage) and nothing is recorded.
 */
final class UpdatePodSandboxResources {
    private final SandboxEnv env;

    UpdatePodSandboxResources(SandboxEnv env) {
        this.env = env;
    }

    /** The caller holds the sandbox's lock; null {@code overhead} or {@code resources} leaves that one as it is. */
    void update(String id, LinuxContainerResources overhead, LinuxContainerResources resources) {
        SandboxRecord record = env.store().get(id).orElseThrow(() -> SandboxException.notFound(id));
        PodLimits.Parsed asked = PodLimits.parse(resources, overhead, "", "pod sandbox " + id);
        if (record.state() != SandboxState.READY) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "pod sandbox " + id
                    + " is not ready; only a running pod's resources can change");
        }
        PodCgroup current = record.podCgroup();
        if (current == null) {
            if (record.cgroupParent().isEmpty()) {
                throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "pod sandbox " + id + " has no pod cgroup"
                        + " of Berth's (an older Berth made it, or it runs under the systemd driver without a cgroup parent),"
                        + " so it has no pod-level limits to change; give it a cgroup parent, or recreate it");
            }
            current = PodCgroup.of(id, record.cgroupParent(), null, null);
        }
        PodCgroup next = current.with(resources != null ? asked.resources() : current.resources(),
                overhead != null ? asked.overhead() : current.overhead());
        if (next.owned()) {
            PodLimits.apply(env, id, next);
        }
        env.store().put(record.withPodCgroup(next));
    }
}
