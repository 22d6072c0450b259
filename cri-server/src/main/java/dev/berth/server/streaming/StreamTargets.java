package dev.berth.server.streaming;

/**
 * What the CRI Exec, Attach and PortForward RPCs check before they hand out a URL, so kubelet
 * hears about a missing or stopped container at once rather than from a broken stream.
 * Implemented over the pod-sandbox module; failures are its usual exceptions (mapped to gRPC
 * statuses by the interceptor: NOT_FOUND for an unknown id, FAILED_PRECONDITION for a wrong state).
 */
public interface StreamTargets {

    /** Returns when the container exists and is running; throws otherwise. */
    void requireRunningContainer(String containerId);

    /** Returns when the pod sandbox exists and is ready; throws otherwise. */
    void requireReadySandbox(String podSandboxId);
}
