package dev.berth.sandbox;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.berth.cri.api.v1.Container;
import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerFilter;
import dev.berth.cri.api.v1.ContainerStats;
import dev.berth.cri.api.v1.ContainerStatsFilter;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.runtime.AttachSession;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExecResult;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The containers of the node's pods, with CRI semantics: the one entry point cri-server calls
 * for CreateContainer, StartContainer, StopContainer, RemoveContainer, ContainerStatus,
 * ListContainers, UpdateContainerResources, ReopenContainerLog and ExecSync. Calls on one
 * container are serialized; list and status take no lock.
 *
 * <p>Ids: 64 hex characters; every call also takes a unique prefix, as crictl users type them.
 */
public final class ContainerService {
    /** ExecSync output kept per stream; more is cut (DESIGN §7). */
    public static final int EXEC_SYNC_OUTPUT_LIMIT = 16 << 20;

    private final SandboxEnv env;
    private final CreateContainer create;
    private final ContainerLifecycle lifecycle;
    private final ContainerExecs execs;
    private final ContainerStatsQueries stats;
    private final CheckpointContainer checkpoints;
    private final java.util.Map<String, dev.berth.cri.api.v1.ContainerResources> resources = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code ticker} times how long a stats reading is shared ({@link StatsCache#FRESH}). */
    ContainerService(SandboxEnv env, ContainerExits exits, Ticker ticker) {
        this.env = env;
        this.create = new CreateContainer(env);
        this.stats = new ContainerStatsQueries(env, ticker);
        this.lifecycle = new ContainerLifecycle(env, exits, stats);
        this.execs = new ContainerExecs(env);
        this.checkpoints = new CheckpointContainer(env);
    }

    ContainerStatsQueries statsQueries() {
        return stats;
    }

    static String lockOf(String id) {
        return "container:" + id;
    }

    /** Creates a container in the sandbox, or returns the one an earlier identical request made; returns its id. */
    public String create(String sandboxIdOrPrefix, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        String sandboxId = Ids.resolve(sandboxIdOrPrefix, "pod sandbox", env.store().all().stream().map(SandboxRecord::id).toList());
        return env.locks().with("id:" + sandboxId, () -> create.create(sandboxId, config, sandboxConfig));
    }

    public void start(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        env.locks().with(lockOf(id), () -> lifecycle.start(record(id)));
    }

    /** Stops the container (stop signal, then SIGKILL after {@code timeout}); an exited or unknown one is fine. */
    public void stop(String idOrPrefix, Duration timeout) {
        String id = resolve(idOrPrefix);
        env.locks().with(lockOf(id), () -> env.containers().get(id).ifPresent(r -> lifecycle.stop(r, timeout)));
    }

    /** Removes the container (killing it if it runs); an unknown one is fine. */
    public void remove(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        env.locks().with(lockOf(id), () -> env.containers().get(id).ifPresent(lifecycle::remove));
        resources.remove(id);
    }

    public ContainerStatus status(String idOrPrefix) {
        ContainerRecord record = record(resolve(idOrPrefix));
        ContainerStatus status = ContainerProtos.status(ContainerStates.of(env, record));
        dev.berth.cri.api.v1.ContainerResources resources = resourcesOf(record.id());
        return resources == null ? status : status.toBuilder().setResources(resources).build();
    }

    /** The statuses of the sandbox's containers (PodSandboxStatus carries them for kubelet's evented PLEG). */
    public List<ContainerStatus> statusesOf(String sandboxId) {
        return env.containersOf(sandboxId).stream()
                .sorted(Comparator.comparingLong(ContainerRecord::createdAtNanos))
                .map(r -> ContainerProtos.status(ContainerStates.of(env, r)))
                .toList();
    }

    /** What a verbose ContainerStatus adds: pid, sandbox, OCI spec (JSON under "info"). */
    public java.util.Map<String, String> verboseInfo(String idOrPrefix) {
        return VerboseInfo.container(env, record(resolve(idOrPrefix)));
    }

    /** The containers that match the filter (all for null or an empty one), oldest first. */
    public List<Container> list(ContainerFilter filter) {
        return env.containers().all().stream()
                .filter(r -> ContainerFilters.preselect(filter, r))
                .map(r -> ContainerStates.of(env, r))
                .filter(v -> ContainerFilters.matches(filter, v))
                .sorted(Comparator.comparingLong((ContainerStates.View v) -> v.record().createdAtNanos())
                        .thenComparing(v -> v.record().id()))
                .map(ContainerProtos::container)
                .toList();
    }

    /**
     * The resources from the container's bundle, parsed once (status is called every second or
     * so per container) and forgotten when UpdateContainerResources or RemoveContainer changes them.
     * Null when the bundle is gone (removed meanwhile, or after a reboot).
     */
    dev.berth.cri.api.v1.ContainerResources resourcesOf(String id) {
        dev.berth.cri.api.v1.ContainerResources cached = resources.get(id);
        if (cached != null) {
            return cached;
        }
        try {
            dev.berth.cri.api.v1.ContainerResources read =
                    ContainerResourcesView.of(dev.berth.runtime.oci.SpecFiles.read(env.containerBundleOf(id)));
            if (env.containers().get(id).isPresent()) {
                resources.put(id, read);
            }
            return read;
        } catch (dev.berth.runtime.oci.InvalidSpecException | RuntimeException e) {
            return null;
        }
    }

    /** CPU, memory, swap and writable-layer usage of one container; NOT_FOUND once its cgroup is gone. */
    public ContainerStats stats(String idOrPrefix) {
        return stats.stats(record(resolve(idOrPrefix)));
    }

    /** Usage of every matching container that still has a cgroup. */
    public List<ContainerStats> listStats(ContainerStatsFilter filter) {
        return stats.list(filter);
    }

    public void updateResources(String idOrPrefix, LinuxContainerResources resources) {
        String id = resolve(idOrPrefix);
        env.locks().with(lockOf(id), () -> {
            try {
                execs.updateResources(record(id), resources);
            } finally {
                this.resources.remove(id);
            }
        });
    }

    /**
     * Checkpoints the running container into the archive file {@code location} (CRIU's images, the
     * writable layer, config, spec, status, log); it keeps running. A zero timeout is the default (5 min).
     */
    public void checkpoint(String idOrPrefix, String location, Duration timeout) {
        String id = resolve(idOrPrefix);
        env.locks().with(lockOf(id), () -> checkpoints.checkpoint(record(id), location, timeout));
    }

    /** Whether this node can checkpoint and restore containers, and why not (for CRI Status). */
    public dev.berth.runtime.CheckpointSupport checkpointSupport() {
        return env.runtime().checkpointSupport();
    }

    public void reopenLog(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        env.locks().with(lockOf(id), () -> execs.reopenLog(record(id)));
    }

    /** Runs {@code command} in the running container to its end (or the timeout; zero = none). */
    public ExecResult execSync(String idOrPrefix, List<String> command, Duration timeout) {
        return execs.execSync(record(resolve(idOrPrefix)), command, timeout, EXEC_SYNC_OUTPUT_LIMIT);
    }

    /** Starts {@code command} in the running container for a streaming exec; the caller owns the process. */
    public ExecProcess startExec(String idOrPrefix, List<String> command, boolean tty) {
        return execs.startExec(record(resolve(idOrPrefix)), command, tty);
    }

    /** Attaches to the running container's stdio; closing the session detaches. */
    public AttachSession attach(String idOrPrefix) {
        return execs.attach(record(resolve(idOrPrefix)));
    }

    /** Whether the container was created with stdin kept open (attach may only write stdin then). */
    public boolean hasStdin(String idOrPrefix) {
        return record(resolve(idOrPrefix)).stdin();
    }

    /** Completes with the container's exit code once it has exited. */
    public java.util.concurrent.CompletableFuture<Integer> exitCode(String idOrPrefix) {
        return env.runtime().exit(resolve(idOrPrefix)).thenApply(dev.berth.runtime.ExitStatus::code);
    }

    /** Fails unless the container exists and runs (streaming requests check before they hand out a URL). */
    public void requireRunning(String idOrPrefix) {
        execs.requireRunning(record(resolve(idOrPrefix)), "stream to it");
    }

    /** Stops every container of the sandbox at once (SIGKILL), as StopPodSandbox must. */
    void stopAllOf(String sandboxId) {
        for (ContainerRecord c : env.containersOf(sandboxId)) {
            env.locks().with(lockOf(c.id()), () -> env.containers().get(c.id()).ifPresent(r -> lifecycle.stop(r, Duration.ZERO)));
        }
    }

    /** Removes every container of the sandbox, as RemovePodSandbox must. */
    void removeAllOf(String sandboxId) {
        for (ContainerRecord c : env.containersOf(sandboxId)) {
            env.locks().with(lockOf(c.id()), () -> env.containers().get(c.id()).ifPresent(lifecycle::remove));
            resources.remove(c.id());
        }
    }

    private ContainerRecord record(String id) {
        return env.containers().get(id).orElseThrow(() -> SandboxException.containerNotFound(id));
    }

    private String resolve(String idOrPrefix) {
        return Ids.resolve(idOrPrefix, "container", env.containers().all().stream().map(ContainerRecord::id).toList());
    }
}
