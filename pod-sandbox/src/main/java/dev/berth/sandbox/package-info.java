/**
 * Pod sandboxes with CRI semantics: a CRI {@code PodSandboxConfig} becomes a pod network
 * (through {@link dev.berth.cni.PodNetwork}), a pause container (through
 * {@link dev.berth.runtime.ContainerRuntime}) and a persisted {@link dev.berth.sandbox.SandboxRecord}.
 * The entry point is {@link dev.berth.sandbox.SandboxService}; the only module besides
 * cri-server that knows CRI messages.
 */
package dev.berth.sandbox;
