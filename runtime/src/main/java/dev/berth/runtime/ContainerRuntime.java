package dev.berth.runtime;

import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Berth's OCI runtime as the rest of Berth sees it: bundle in, running process out.
 * It speaks the OCI runtime spec, never CRI. Containers outlive the daemon: every call
 * reads the container's state from disk and its shim, so a new instance over the same
 * root picks up where the last one stopped ({@link #list()} after a restart).
 *
 * <pre>
 *   create ──▶ CREATED ──start──▶ RUNNING ──(exit or kill)──▶ STOPPED ──delete──▶ gone
 *                 └────────────kill──────────────────────────────▲
 * </pre>
 * delete refuses CREATED and RUNNING containers unless forced (then it kills first).
 */
public interface ContainerRuntime {

    /** Creates the container from {@code bundle/config.json}; its init waits for {@link #start}. */
    ContainerState create(String id, Path bundle, CreateOptions options) throws InvalidSpecException;

    /** Runs the user program; fails with the reason when it cannot be executed. */
    void start(String id);

    /** Sends a signal to the init; a container that already exited is left as it is. */
    void kill(String id, int signal);

    /** Removes a stopped container (or any, with {@code force}); an unknown id is a no-op. */
    void delete(String id, boolean force);

    ContainerState state(String id);

    List<ContainerState> list();

    /** Completes with the exit status once the container has exited (at once if it already has). */
    CompletableFuture<ExitStatus> exit(String id);

    /** Runs a process in the running container to completion, with bounded output. */
    ExecResult execSync(String id, Spec.Process process, Duration timeout, int maxOutputBytes);

    /** Starts a process in the running container; the caller owns its stdio and must wait for it. */
    ExecProcess exec(String id, Spec.Process process);

    /** Attaches to the running container's stdio (see {@link CreateOptions#stdin()}). */
    AttachSession attach(String id) throws java.io.IOException;

    /** Makes the shim reopen the container's log file (after kubelet rotated it). */
    void reopenLog(String id);

    /** Applies new resource limits to a created or running container's cgroup. */
    void update(String id, Spec.Resources resources);

    /** The container's cgroup directories, one per hierarchy: where its usage is read (the stats hook). */
    List<Path> cgroupPaths(String id);

    /** The container's resource usage from its cgroups; NoSuchContainerException for an unknown id. */
    ContainerUsage usage(String id);

    /** Whether {@link #checkpoint} and restore ({@link CreateOptions#restoreFrom()}) can work on this node. */
    default CheckpointSupport checkpointSupport() {
        return CheckpointSupport.unavailable("this runtime cannot checkpoint containers");
    }

    /**
     * Dumps the running container's processes into {@code request.imagesDir()}, leaving them
     * running; a later {@link #create} with {@link CreateOptions#restoreFrom()} naming those images
     * (and the writable layer as it was) brings them back at {@link #start}.
     */
    default void checkpoint(String id, CheckpointRequest request) {
        throw new CheckpointException(CheckpointException.Kind.UNAVAILABLE, checkpointSupport().reason());
    }
}
