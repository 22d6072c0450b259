package dev.berth.sandbox;

/**
 * A sandbox's persisted state. The legal transitions, enforced by {@link SandboxRecord#stopped()}
 * and the services that call it:
 *
 * <pre>
 *   RunPodSandbox ──▶ READY ──StopPodSandbox──▶ NOTREADY ──RemovePodSandbox──▶ (record deleted)
 *                       │                        ▲   │ Stop again: no-op
 *                       └──RemovePodSandbox──────┘   (Remove stops first)
 * </pre>
 *
 * There is no way back from NOTREADY to READY: kubelet makes a new sandbox (next attempt)
 * instead. A READY record whose pause process has died is reported NOTREADY without being
 * rewritten (see {@link SandboxQueries}).
 */
public enum SandboxState {
    READY,
    NOTREADY
}
