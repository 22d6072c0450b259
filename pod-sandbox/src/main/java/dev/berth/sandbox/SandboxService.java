package dev.berth.sandbox;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.berth.cni.PodNetwork;
import dev.berth.cri.api.v1.MetricDescriptor;
import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxFilter;
import dev.berth.cri.api.v1.PodSandboxMetrics;
import dev.berth.cri.api.v1.PodSandboxStatus;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.shim.CgroupPlacement;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The pod sandboxes of a node, with CRI semantics: the one entry point cri-server calls for
 * RunPodSandbox, StopPodSandbox, RemovePodSandbox, PodSandboxStatus, ListPodSandbox and
 * UpdatePodSandboxResources.
 * Calls on one sandbox are serialized; calls on different sandboxes run in parallel.
 *
 * <p>Ids: 64 hex characters. Status, stop and remove take an id or a unique prefix of one.
 *
 * <p>Recovery ({@link #open}): every record is reloaded and its name reserved again; a sandbox
 * directory without a record is a run the previous daemon did not finish, and its pause
 * container, network and directories are removed. Pause processes outlive the daemon (the
 * runtime reconnects to them), so a READY sandbox stays READY across a restart.
 */
public final class SandboxService {
    private static final System.Logger LOG = System.getLogger(SandboxService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxEnv env;
    private final RunPodSandbox run;
    private final StopPodSandbox stop;
    private final RemovePodSandbox remove;
    private final UpdatePodSandboxResources update;
    private final SandboxQueries queries;
    private final ContainerService containers;
    private final ContainerExits exits;
    private final SandboxStatsQueries sandboxStats;
    private final SandboxMetricsQueries sandboxMetrics;

    private SandboxService(SandboxEnv env, Ticker ticker) {
        this.env = env;
        this.exits = new ContainerExits(env);
        this.containers = new ContainerService(env, exits, ticker);
        this.run = new RunPodSandbox(env);
        this.stop = new StopPodSandbox(env, containers);
        this.remove = new RemovePodSandbox(env, stop, containers);
        this.update = new UpdatePodSandboxResources(env);
        this.queries = new SandboxQueries(env);
        this.sandboxStats = new SandboxStatsQueries(env, containers.statsQueries());
        this.sandboxMetrics = new SandboxMetricsQueries(env, containers.statsQueries(), containers::resourcesOf);
    }

    /** Sandboxes only, no image store: for callers (and tests) that run no containers. */
    public static SandboxService open(SandboxSettings settings, ContainerRuntime runtime, CgroupPlacement cgroups, PodNetwork network,
            Clock clock) {
        return open(settings, runtime, cgroups, network, ContainerImages.NONE, new LinuxSyscalls(), new ContainerEvents(), clock,
                SandboxService::newId);
    }

    /** {@code cgroups}: where Berth makes the cgroups of pods that come without a cgroup parent. */
    public static SandboxService open(SandboxSettings settings, ContainerRuntime runtime, CgroupPlacement cgroups, PodNetwork network,
            ContainerImages images, Syscalls sys, ContainerEvents events, Clock clock) {
        return open(settings, runtime, cgroups, network, images, sys, events, clock, SandboxService::newId);
    }

    static SandboxService open(SandboxSettings settings, ContainerRuntime runtime, CgroupPlacement cgroups, PodNetwork network,
            ContainerImages images, Syscalls sys, ContainerEvents events, Clock clock, Supplier<String> ids) {
        return open(settings, runtime, cgroups, network, images, sys, events, clock, Ticker.systemTicker(), ids);
    }

    /** {@code ticker} times how long stats readings are shared between RPCs (tests drive it). */
    static SandboxService open(SandboxSettings settings, ContainerRuntime runtime, CgroupPlacement cgroups, PodNetwork network,
            ContainerImages images, Syscalls sys, ContainerEvents events, Clock clock, Ticker ticker, Supplier<String> ids) {
        RecordStore<SandboxRecord> store = RecordStore.open(settings.root().resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT);
        NameRegistry names = new NameRegistry();
        for (SandboxRecord record : store.all()) {
            names.reserve(record.reservedName(), record.id());
        }
        RecordStore<ContainerRecord> containers = RecordStore.open(settings.root().resolve("containers"), ContainerRecord.class,
                ContainerRecord.FORMAT);
        NameRegistry containerNames = new NameRegistry();
        for (ContainerRecord record : containers.all()) {
            containerNames.reserve(record.reservedName(), record.id());
        }
        SandboxEnv env = new SandboxEnv(store, names, containers, containerNames, runtime, cgroups, network, images, sys, events,
                settings.state().resolve("sandboxes"), settings.state().resolve("containers"), new EtcFiles(settings.hostEtc()),
                settings.runtimeHandlers(), clock, ids, new KeyedLocks(), settings.cgroupsPaths(), settings.maxCheckpointBytes());
        SandboxService service = new SandboxService(env, ticker);
        service.cleanUpOrphans();
        new ContainerRecovery(env, service.exits).recover();
        service.watchPauses();
        return service;
    }

    /** Exit watchers for the pause processes of ready sandboxes (status then needs no socket probe). */
    private void watchPauses() {
        for (SandboxRecord record : env.store().all()) {
            if (record.state() == SandboxState.READY) {
                try {
                    env.runtime().exit(record.id());
                } catch (dev.berth.runtime.NoSuchContainerException gone) {
                    // reported NOTREADY by status
                }
            }
        }
    }

    /** Stops watching container exits; containers keep running (the next daemon watches them again). */
    public void close() {
        exits.close();
    }

    /** The containers of these sandboxes. */
    public ContainerService containers() {
        return containers;
    }

    /** Runs a new sandbox, or returns the one an earlier identical request made; returns its id. */
    public String run(PodSandboxConfig config, String runtimeHandler) {
        return run.run(config, runtimeHandler);
    }

    /** Stops the sandbox; an unknown or stopped one is fine. */
    public void stop(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        env.locks().with("id:" + id, () -> stop.stop(id));
    }

    /** Removes the sandbox (stopping it first); an unknown one is fine. */
    public void remove(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        env.locks().with("id:" + id, () -> remove.remove(id));
    }

    /**
     * UpdatePodSandboxResources: records the pod's new resources and overhead (null: unchanged) and
     * applies them to the pod's cgroup when Berth owns it.
     */
    public void updateResources(String idOrPrefix, dev.berth.cri.api.v1.LinuxContainerResources overhead,
            dev.berth.cri.api.v1.LinuxContainerResources resources) {
        String id = resolve(idOrPrefix);
        env.locks().with("id:" + id, () -> update.update(id, overhead, resources));
    }

    /** The sandbox's status; NOT_FOUND for an unknown id. */
    public PodSandboxStatus status(String idOrPrefix) {
        return queries.status(resolve(idOrPrefix));
    }

    /**
     * The pod's network namespace for port-forward: empty for a host-network pod (dial the node's
     * localhost); fails unless the sandbox is ready.
     */
    public java.util.Optional<java.nio.file.Path> networkNamespaceOf(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        SandboxRecord record = env.store().get(id).orElseThrow(() -> SandboxException.notFound(id));
        if (status(id).getState() != dev.berth.cri.api.v1.PodSandboxState.SANDBOX_READY) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "pod sandbox " + id + " is not ready");
        }
        return record.netnsPath() == null || record.netnsPath().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(java.nio.file.Path.of(record.netnsPath()));
    }

    /** CPU, memory, processes and network of the pod, with its containers' stats. */
    public dev.berth.cri.api.v1.PodSandboxStats stats(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        return sandboxStats.stats(env.store().get(id).orElseThrow(() -> SandboxException.notFound(id)));
    }

    /** Stats of every matching ready pod. */
    public List<dev.berth.cri.api.v1.PodSandboxStats> listStats(dev.berth.cri.api.v1.PodSandboxStatsFilter filter) {
        return sandboxStats.list(filter);
    }

    /**
     * ListPodSandboxMetrics: every ready pod's network metrics and the metrics of its containers that have not exited,
     * named as {@link #metricDescriptors()} describes them. A stream can send the same list in parts.
     */
    public List<PodSandboxMetrics> metrics() {
        return sandboxMetrics.list();
    }

    /** ListMetricDescriptors: the metrics {@link #metrics()} reports. */
    public List<MetricDescriptor> metricDescriptors() {
        return MetricDescriptors.ALL;
    }

    /** What a verbose PodSandboxStatus adds: pause pid, handler, netns, OCI spec (JSON under "info"). */
    public java.util.Map<String, String> verboseInfo(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        return VerboseInfo.sandbox(env, env.store().get(id).orElseThrow(() -> SandboxException.notFound(id)));
    }

    /** The sandboxes that match the filter (all for null or an empty filter), oldest first. */
    public List<PodSandbox> list(PodSandboxFilter filter) {
        return queries.list(filter);
    }

    /** The exact id, or the one id that starts with {@code idOrPrefix}; an unmatched value is returned as it is. */
    private String resolve(String idOrPrefix) {
        return Ids.resolve(idOrPrefix, "pod sandbox", env.store().all().stream().map(SandboxRecord::id).toList());
    }

    private void cleanUpOrphans() {
        for (String id : env.store().orphans()) {
            LOG.log(Level.INFO, "removing sandbox {0}, left half-made by an earlier daemon", id);
            try {
                env.runtime().delete(id, true);
                env.cgroups().destroy(PodCgroup.of(id, "", null, null).path()); // made before the record: gone is fine
                env.network().tearDown(id);
                Mounts.unmountAll(env.sys(), env.shmOf(id));
                FileTrees.deleteTree(env.bundleOf(id));
                env.store().remove(id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot clean up half-made sandbox {0}, will retry at the next start: {1}", id, e.getMessage());
            }
        }
    }

    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
