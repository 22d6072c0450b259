package dev.berth.runtime;

/**
 * Whose memory limit made the kernel's OOM killer end a container, as its shim saw the cgroup
 * counters (v2 {@code memory.events}, v1 {@code memory.oom_control} notifications).
 *
 * @param scope the container's own cgroup, its parent (a pod's cgroup), or neither
 * @param cgroupsPath the OCI cgroupsPath of the cgroup whose limit it was; "" for {@link Scope#OTHER}
 * @param limitBytes that cgroup's memory limit when the container exited; 0 when unlimited or unknown
 */
public record OomLimit(Scope scope, String cgroupsPath, long limitBytes) {

    public enum Scope {
        /** The container reached its own memory limit. */
        CONTAINER,
        /** The container's parent cgroup (the pod's) reached its limit, shared with its siblings. */
        PARENT,
        /** Neither: a limit further up (a QoS class, all pods), or the node itself ran out of memory. */
        OTHER
    }

    public OomLimit {
        java.util.Objects.requireNonNull(scope, "scope");
        cgroupsPath = cgroupsPath == null ? "" : cgroupsPath;
    }
}
