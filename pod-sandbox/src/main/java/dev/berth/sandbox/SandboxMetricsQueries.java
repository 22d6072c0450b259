package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerMetrics;
import dev.berth.cri.api.v1.ContainerResources;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.PodSandboxMetrics;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * ListPodSandboxMetrics: for every ready pod, its network counters (the pod's own metrics) and
 * the metrics of each container that has not exited, from the same {@link StatsCache} window and
 * layer walks the stats RPCs use, so kubelet's back-to-back polls read each cgroup once.
 */
final class SandboxMetricsQueries {
    private final SandboxEnv env;
    private final ContainerStatsQueries stats;
    private final Function<String, ContainerResources> resources;

    /** {@code resources} gives a container's resources as ContainerStatus reports them (null when unknown). */
    SandboxMetricsQueries(SandboxEnv env, ContainerStatsQueries stats, Function<String, ContainerResources> resources) {
        this.env = env;
        this.stats = stats;
        this.resources = resources;
    }

    /** The metrics of every ready pod, oldest first. */
    List<PodSandboxMetrics> list() {
        return env.store().all().stream()
                .filter(r -> r.state() == SandboxState.READY)
                .sorted(Comparator.comparingLong(SandboxRecord::createdAtNanos))
                .map(this::metrics)
                .toList();
    }

    PodSandboxMetrics metrics(SandboxRecord sandbox) {
        PodSandboxMetrics.Builder pod = PodSandboxMetrics.newBuilder()
                .setPodSandboxId(sandbox.id())
                .addAllMetrics(MetricSampler.network(MetricSampler.podLabels(sandbox), stats.cache().network(sandbox)));
        env.containersOf(sandbox.id()).stream()
                .filter(c -> !c.finished() && notExited(c))
                .sorted(Comparator.comparingLong(ContainerRecord::createdAtNanos))
                .forEach(c -> {
                    StatsCache.Sample sample = stats.cache().sampleOrNull(c.id());
                    if (sample != null) {
                        LayerUsage.Usage layer = c.writableLayer().isEmpty() ? null : stats.layers().of(Path.of(c.writableLayer()));
                        pod.addContainerMetrics(ContainerMetrics.newBuilder()
                                .setContainerId(c.id())
                                .addAllMetrics(MetricSampler.container(MetricSampler.containerLabels(c, sandbox), sample.usage(),
                                        resources.apply(c.id()), layer, c.createdAtNanos())));
                    }
                });
        return pod.build();
    }

    /**
     * Exited containers have no metrics, as in CRI-O (their numbers stand still while "last seen"
     * would move on). The record learns of an exit a moment after the runtime does, so ask the runtime.
     */
    private boolean notExited(ContainerRecord c) {
        ContainerState state = ContainerStates.of(env, c).state();
        return state == ContainerState.CONTAINER_CREATED || state == ContainerState.CONTAINER_RUNNING;
    }
}
