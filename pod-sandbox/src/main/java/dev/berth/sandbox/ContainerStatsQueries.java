package dev.berth.sandbox;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.berth.cri.api.v1.ContainerAttributes;
import dev.berth.cri.api.v1.ContainerStats;
import dev.berth.cri.api.v1.ContainerStatsFilter;
import dev.berth.cri.api.v1.CpuUsage;
import dev.berth.cri.api.v1.FilesystemIdentifier;
import dev.berth.cri.api.v1.FilesystemUsage;
import dev.berth.cri.api.v1.MemoryUsage;
import dev.berth.cri.api.v1.SwapUsage;
import dev.berth.cri.api.v1.UInt64Value;
import dev.berth.runtime.ContainerUsage;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * ContainerStats and ListContainerStats: cgroup usage from the runtime, the writable layer's
 * size from the image store's upper dir. Readings come from the {@link StatsCache} every stats and
 * metrics RPC shares; CPU in cores (usage_nano_cores) is its rate over the reading before, so
 * the second poll has a rate.
 */
final class ContainerStatsQueries {
    private final SandboxEnv env;
    private final LayerUsage layers;
    private final StatsCache cache;

    ContainerStatsQueries(SandboxEnv env, Ticker ticker) {
        this.env = env;
        this.layers = new LayerUsage(env.clock());
        this.cache = new StatsCache(env.runtime(), env.clock(), ticker);
    }

    /** The readings shared with the pod stats and metrics. */
    StatsCache cache() {
        return cache;
    }

    /** The writable layers' sizes, walked at most every {@link LayerUsage#FRESH}. */
    LayerUsage layers() {
        return layers;
    }

    ContainerStats stats(ContainerRecord record) {
        ContainerStats stats = statsOrNull(record);
        if (stats == null) {
            throw new SandboxException(SandboxException.Kind.NOT_FOUND, "container " + record.id()
                    + " has no resources to measure (its cgroup is gone)");
        }
        return stats;
    }

    /** Stats of the matching containers that have a cgroup (created, running or exited but not removed). */
    List<ContainerStats> list(ContainerStatsFilter filter) {
        cache.retainOnly(Stream.concat(env.containers().all().stream().map(ContainerRecord::id),
                env.store().all().stream().map(SandboxRecord::id)).toList());
        return env.containers().all().stream()
                .filter(r -> matches(filter, r))
                .sorted(Comparator.comparingLong(ContainerRecord::createdAtNanos))
                .map(this::statsOrNull)
                .filter(Objects::nonNull)
                .toList();
    }

    private static boolean matches(ContainerStatsFilter filter, ContainerRecord r) {
        if (filter == null) {
            return true;
        }
        if (!filter.getId().isEmpty() && !r.id().startsWith(filter.getId())) {
            return false;
        }
        if (!filter.getPodSandboxId().isEmpty() && !r.sandboxId().startsWith(filter.getPodSandboxId())) {
            return false;
        }
        return filter.getLabelSelectorMap().entrySet().stream().allMatch(e -> e.getValue().equals(r.labels().get(e.getKey())));
    }

    ContainerStats statsOrNull(ContainerRecord record) {
        StatsCache.Sample sample = cache.sampleOrNull(record.id());
        return sample == null ? null : stats(record, sample);
    }

    /** The container's stats from this window's reading. */
    ContainerStats stats(ContainerRecord record, StatsCache.Sample sample) {
        ContainerUsage usage = sample.usage();
        long at = ContainerStates.nanos(usage.timestamp());
        CpuUsage.Builder cpu = CpuUsage.newBuilder().setTimestamp(at).setUsageCoreNanoSeconds(u64(usage.cpuUsageNanos()));
        if (sample.hasRate()) {
            cpu.setUsageNanoCores(u64(sample.nanoCores()));
        }
        ContainerStats.Builder stats = ContainerStats.newBuilder()
                .setAttributes(ContainerAttributes.newBuilder()
                        .setId(record.id())
                        .setMetadata(ContainerProtos.metadata(record))
                        .putAllLabels(record.labels())
                        .putAllAnnotations(record.annotations()))
                .setCpu(cpu)
                .setMemory(MemoryUsage.newBuilder()
                        .setTimestamp(at)
                        .setWorkingSetBytes(u64(usage.memoryWorkingSetBytes()))
                        .setUsageBytes(u64(usage.memoryUsageBytes()))
                        .setRssBytes(u64(usage.memoryRssBytes()))
                        .setPageFaults(u64(usage.memoryPageFaults()))
                        .setMajorPageFaults(u64(usage.memoryMajorPageFaults())))
                .setSwap(SwapUsage.newBuilder().setTimestamp(at).setSwapUsageBytes(u64(usage.swapUsageBytes())));
        if (!record.writableLayer().isEmpty()) {
            Path layer = Path.of(record.writableLayer());
            LayerUsage.Usage disk = layers.of(layer);
            stats.setWritableLayer(FilesystemUsage.newBuilder()
                    .setTimestamp(ContainerStates.nanos(disk.at()))
                    .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(layer.toString()))
                    .setUsedBytes(u64(disk.bytes()))
                    .setInodesUsed(u64(disk.inodes())));
        }
        return stats.build();
    }

    void forget(ContainerRecord record) {
        cache.forget(record.id());
        if (!record.writableLayer().isEmpty()) {
            layers.forget(Path.of(record.writableLayer()));
        }
    }

    /** A CRI counter; a negative reading (a counter that went backwards) is reported as 0. */
    static UInt64Value u64(long value) {
        return UInt64Value.newBuilder().setValue(Math.max(0, value)).build();
    }
}
