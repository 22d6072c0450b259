package dev.berth.sandbox;

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
import dev.berth.runtime.NoSuchContainerException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ContainerStats and ListContainerStats: cgroup usage from the runtime, the writable layer's
 * size from the image store's upper dir. CPU in cores (usage_nano_cores) needs two readings:
 * the previous one per container is kept, as containerd does, so the second call has a rate.
 */
final class ContainerStatsQueries {
    private final SandboxEnv env;
    private final LayerUsage layers;
    private final Map<String, ContainerUsage> previous = new ConcurrentHashMap<>();

    ContainerStatsQueries(SandboxEnv env) {
        this.env = env;
        this.layers = new LayerUsage(env.clock());
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
        previous.keySet().retainAll(env.containers().all().stream().map(ContainerRecord::id).toList());
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

    /** The process count of the container's last reading (0 when none was taken). */
    long processesOf(String id) {
        ContainerUsage last = previous.get(id);
        return last == null ? 0 : last.processes();
    }

    ContainerStats statsOrNull(ContainerRecord record) {
        ContainerUsage usage;
        try {
            usage = env.runtime().usage(record.id());
        } catch (NoSuchContainerException | UncheckedIOException e) {
            return null;
        }
        long at = ContainerStates.nanos(usage.timestamp());
        ContainerUsage before = previous.put(record.id(), usage);
        CpuUsage.Builder cpu = CpuUsage.newBuilder().setTimestamp(at).setUsageCoreNanoSeconds(u64(usage.cpuUsageNanos()));
        if (before != null && at > ContainerStates.nanos(before.timestamp()) && usage.cpuUsageNanos() >= before.cpuUsageNanos()) {
            long elapsed = at - ContainerStates.nanos(before.timestamp());
            long used = usage.cpuUsageNanos() - before.cpuUsageNanos();
            cpu.setUsageNanoCores(u64((long) ((double) used / elapsed * 1_000_000_000L)));
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
        previous.remove(record.id());
        if (!record.writableLayer().isEmpty()) {
            layers.forget(Path.of(record.writableLayer()));
        }
    }

    /** A CRI counter; a negative reading (a counter that went backwards) is reported as 0. */
    static UInt64Value u64(long value) {
        return UInt64Value.newBuilder().setValue(Math.max(0, value)).build();
    }
}
