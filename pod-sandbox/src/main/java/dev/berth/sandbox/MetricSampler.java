package dev.berth.sandbox;

import static dev.berth.sandbox.ContainerStatsQueries.u64;

import dev.berth.cri.api.v1.ContainerResources;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.Metric;
import dev.berth.cri.api.v1.MetricDescriptor;
import dev.berth.cri.api.v1.MetricType;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.UsageDetail;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns readings into the Metric messages {@link MetricDescriptors} describes, as CRI-O does:
 * cumulative counts are COUNTERs, levels are GAUGEs, and times are whole seconds (a Metric's
 * value is an unsigned integer, so nanoseconds are divided and the rest dropped). Each metric
 * carries the time of the reading it comes from, which kubelet passes on as the sample's time.
 */
final class MetricSampler {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Above this a memory limit means none: the kernel rounds "unlimited" down from 2^63 (cAdvisor and CRI-O report 0). */
    private static final long UNLIMITED_MEMORY = 1L << 62;

    private MetricSampler() {}

    /** Label values of a container's metrics: its id and image, its pod's namespace and name, its name. */
    static List<String> containerLabels(ContainerRecord container, SandboxRecord sandbox) {
        return List.of(container.id(), container.image(), sandbox.namespace(), sandbox.name(), container.name());
    }

    /** Label values of the pod's own metrics: the sandbox id, no image, and "POD" as the container, as cAdvisor names it. */
    static List<String> podLabels(SandboxRecord sandbox) {
        return List.of(sandbox.id(), "", sandbox.namespace(), sandbox.name(), "POD");
    }

    /**
     * A container's metrics from one cgroup reading; its spec metrics from {@code resources} (none
     * when null: the bundle is gone) and its file system usage from {@code layer} (none when null).
     */
    static List<Metric> container(List<String> labels, ContainerUsage usage, ContainerResources resources, LayerUsage.Usage layer,
            long createdAtNanos) {
        Builder out = new Builder(labels, ContainerStates.nanos(usage.timestamp()));
        UsageDetail d = usage.detail();
        out.gauge(MetricDescriptors.LAST_SEEN, usage.timestamp().getEpochSecond());

        out.counter(MetricDescriptors.CPU_USER, seconds(d.cpuUserNanos()));
        out.counter(MetricDescriptors.CPU_SYSTEM, seconds(d.cpuSystemNanos()));
        out.counter(MetricDescriptors.CPU_USAGE, seconds(usage.cpuUsageNanos()), "total");
        out.counter(MetricDescriptors.CFS_PERIODS, d.cpuPeriods());
        out.counter(MetricDescriptors.CFS_THROTTLED_PERIODS, d.cpuThrottledPeriods());
        out.counter(MetricDescriptors.CFS_THROTTLED_SECONDS, seconds(d.cpuThrottledNanos()));

        out.gauge(MetricDescriptors.MEMORY_CACHE, d.memoryCacheBytes());
        out.gauge(MetricDescriptors.MEMORY_RSS, usage.memoryRssBytes());
        out.gauge(MetricDescriptors.MEMORY_MAPPED_FILE, d.memoryMappedFileBytes());
        out.gauge(MetricDescriptors.MEMORY_SWAP, usage.swapUsageBytes());
        out.counter(MetricDescriptors.MEMORY_FAILCNT, d.memoryFailcnt());
        out.gauge(MetricDescriptors.MEMORY_USAGE, usage.memoryUsageBytes());
        out.gauge(MetricDescriptors.MEMORY_MAX_USAGE, d.memoryMaxUsageBytes());
        out.gauge(MetricDescriptors.MEMORY_WORKING_SET, usage.memoryWorkingSetBytes());
        // The cgroup's counters include its children, so "container" and "hierarchy" scopes are the same number.
        for (String scope : List.of("container", "hierarchy")) {
            out.counter(MetricDescriptors.MEMORY_FAILURES, usage.memoryPageFaults(), "pgfault", scope);
            out.counter(MetricDescriptors.MEMORY_FAILURES, usage.memoryMajorPageFaults(), "pgmajfault", scope);
        }

        out.counter(MetricDescriptors.OOM_EVENTS, d.oomKills());

        out.gauge(MetricDescriptors.PROCESSES, usage.processes());
        out.gauge(MetricDescriptors.THREADS, d.threads());
        out.gauge(MetricDescriptors.THREADS_MAX, d.threadsMax());

        if (resources != null) {
            spec(out, resources.getLinux());
        }
        out.gauge(MetricDescriptors.START_TIME, createdAtNanos / NANOS_PER_SECOND);

        if (layer != null) {
            out.at(ContainerStates.nanos(layer.at())).gauge(MetricDescriptors.FS_USAGE, layer.bytes());
        }
        return out.metrics;
    }

    /** The limits the container runs with, as CRI-O reports them from its resources. */
    private static void spec(Builder out, LinuxContainerResources r) {
        out.gauge(MetricDescriptors.SPEC_MEMORY_LIMIT, memoryLimit(r.getMemoryLimitInBytes()));
        out.gauge(MetricDescriptors.SPEC_MEMORY_SWAP_LIMIT, memoryLimit(r.getMemorySwapLimitInBytes()));
        out.gauge(MetricDescriptors.SPEC_CPU_SHARES, r.getCpuShares());
        out.gauge(MetricDescriptors.SPEC_CPU_PERIOD, r.getCpuPeriod());
        if (r.getCpuQuota() > 0) {
            out.gauge(MetricDescriptors.SPEC_CPU_QUOTA, r.getCpuQuota());
        }
        try {
            out.gauge(MetricDescriptors.SPEC_MEMORY_RESERVATION, memoryLimit(Long.parseLong(r.getUnifiedOrDefault("memory.min", "0"))));
        } catch (NumberFormatException notANumber) {
            // "max" or garbage in the unified map: no reservation to report
        }
    }

    /** 0 for no limit (negative, or the kernel's near-2^63 "unlimited"), as cAdvisor reports it. */
    static long memoryLimit(long limit) {
        return limit < 0 || limit > UNLIMITED_MEMORY ? 0 : limit;
    }

    static long seconds(long nanos) {
        return nanos / NANOS_PER_SECOND;
    }

    /** The pod's network counters per interface (none for a host-network pod or a gone pause process). */
    static List<Metric> network(List<String> labels, StatsCache.Network network) {
        Builder out = new Builder(labels, ContainerStates.nanos(network.at()));
        for (NetDevStats.Interface i : network.interfaces()) {
            out.counter(MetricDescriptors.NETWORK_RECEIVE_BYTES, i.rxBytes(), i.name());
            out.counter(MetricDescriptors.NETWORK_RECEIVE_PACKETS, i.rxPackets(), i.name());
            out.counter(MetricDescriptors.NETWORK_RECEIVE_DROPPED, i.rxDropped(), i.name());
            out.counter(MetricDescriptors.NETWORK_RECEIVE_ERRORS, i.rxErrors(), i.name());
            out.counter(MetricDescriptors.NETWORK_TRANSMIT_BYTES, i.txBytes(), i.name());
            out.counter(MetricDescriptors.NETWORK_TRANSMIT_PACKETS, i.txPackets(), i.name());
            out.counter(MetricDescriptors.NETWORK_TRANSMIT_DROPPED, i.txDropped(), i.name());
            out.counter(MetricDescriptors.NETWORK_TRANSMIT_ERRORS, i.txErrors(), i.name());
        }
        return out.metrics;
    }

    /** Metrics of one reading: the base labels and timestamp they share, and the list they go to. */
    private static final class Builder {
        private final List<String> labels;
        private final long timestamp;
        private final List<Metric> metrics;

        Builder(List<String> labels, long timestamp) {
            this(labels, timestamp, new ArrayList<>());
        }

        private Builder(List<String> labels, long timestamp, List<Metric> metrics) {
            this.labels = labels;
            this.timestamp = timestamp;
            this.metrics = metrics;
        }

        /** Adds to the same list, stamped with another reading's time (such as the layer's walk). */
        Builder at(long otherTimestamp) {
            return new Builder(labels, otherTimestamp, metrics);
        }

        void counter(MetricDescriptor descriptor, long value, String... extraLabels) {
            add(descriptor, MetricType.COUNTER, value, extraLabels);
        }

        void gauge(MetricDescriptor descriptor, long value, String... extraLabels) {
            add(descriptor, MetricType.GAUGE, value, extraLabels);
        }

        private void add(MetricDescriptor descriptor, MetricType type, long value, String... extraLabels) {
            metrics.add(Metric.newBuilder()
                    .setName(descriptor.getName())
                    .setTimestamp(timestamp)
                    .setMetricType(type)
                    .setValue(u64(value))
                    .addAllLabelValues(labels)
                    .addAllLabelValues(List.of(extraLabels))
                    .build());
        }
    }
}
