package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerResources;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.Metric;
import dev.berth.cri.api.v1.MetricDescriptor;
import dev.berth.cri.api.v1.MetricType;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.UsageDetail;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Readings to CRI metrics: names and labels as the descriptors say, counters and gauges, units converted. */
class MetricSamplerTest {
    private static final List<String> LABELS = List.of("cid", "docker.io/library/busybox:latest", "ns", "pod", "app");
    private static final Instant AT = Instant.ofEpochSecond(1_700_000_000L, 250_000_000);
    private static final Map<String, MetricDescriptor> DESCRIPTORS =
            MetricDescriptors.ALL.stream().collect(Collectors.toMap(MetricDescriptor::getName, Function.identity()));

    private static final UsageDetail DETAIL = new UsageDetail(2_999_999_999L, 1_000_000_000L, 120, 7, 4_500_000_000L, 4096, 2048,
            9_000_000, 3, 1, 5, 64);
    private static final ContainerUsage USAGE = new ContainerUsage(AT, 5_400_000_000L, 6_000_000, 8_000_000, 3_000_000, 900, 9,
            1024, 2, DETAIL);

    private static Metric one(List<Metric> metrics, String name) {
        List<Metric> named = metrics.stream().filter(m -> m.getName().equals(name)).toList();
        assertEquals(1, named.size(), name + " in " + metrics);
        return named.get(0);
    }

    private static long value(List<Metric> metrics, String name) {
        return one(metrics, name).getValue().getValue();
    }

    private static ContainerResources resources(LinuxContainerResources.Builder linux) {
        return ContainerResources.newBuilder().setLinux(linux).build();
    }

    @Test
    void everyMetricIsDescribedAndHasOneLabelValuePerKey() {
        List<Metric> metrics = MetricSampler.container(LABELS, USAGE,
                resources(LinuxContainerResources.newBuilder().setCpuQuota(50_000)), new LayerUsage.Usage(1, 1, AT), 0);
        metrics = new java.util.ArrayList<>(metrics);
        metrics.addAll(MetricSampler.network(LABELS, new StatsCache.Network(AT,
                List.of(new NetDevStats.Interface("eth0", 1, 2, 3, 4, 5, 6, 7, 8)))));
        Set<String> seen = new HashSet<>();
        for (Metric m : metrics) {
            MetricDescriptor d = DESCRIPTORS.get(m.getName());
            assertTrue(d != null, "described: " + m.getName());
            assertEquals(d.getLabelKeysCount(), m.getLabelValuesCount(), m.getName() + ": " + m.getLabelValuesList());
            assertEquals(LABELS, m.getLabelValuesList().subList(0, 5), "base labels first");
            assertTrue(seen.add(m.getName() + m.getLabelValuesList()), "no series twice: " + m);
        }
        assertEquals(DESCRIPTORS.keySet(), metrics.stream().map(Metric::getName).collect(Collectors.toSet()),
                "every descriptor has a metric when the host tells everything");
        assertEquals(MetricDescriptors.ALL.size(), DESCRIPTORS.size(), "names are unique");
        assertEquals(List.of("id", "image", "namespace", "pod", "container", "cpu"), DESCRIPTORS.get("container_cpu_usage_seconds_total")
                .getLabelKeysList());
    }

    @Test
    void timesAreWholeSecondsAndCumulativeCountsAreCounters() {
        List<Metric> metrics = MetricSampler.container(LABELS, USAGE, null, null, 0);
        assertEquals(5, value(metrics, "container_cpu_usage_seconds_total"), "5.4 s");
        assertEquals("total", one(metrics, "container_cpu_usage_seconds_total").getLabelValues(5));
        assertEquals(2, value(metrics, "container_cpu_user_seconds_total"), "2.999999999 s");
        assertEquals(1, value(metrics, "container_cpu_system_seconds_total"));
        assertEquals(4, value(metrics, "container_cpu_cfs_throttled_seconds_total"));
        assertEquals(120, value(metrics, "container_cpu_cfs_periods_total"));
        assertEquals(7, value(metrics, "container_cpu_cfs_throttled_periods_total"));
        assertEquals(1_700_000_000L, value(metrics, "container_last_seen"), "the reading's time in seconds");
        for (String counter : List.of("container_cpu_usage_seconds_total", "container_cpu_user_seconds_total",
                "container_cpu_system_seconds_total", "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total",
                "container_cpu_cfs_throttled_seconds_total", "container_memory_failcnt", "container_oom_events_total")) {
            assertEquals(MetricType.COUNTER, one(metrics, counter).getMetricType(), counter);
        }
        for (String gauge : List.of("container_last_seen", "container_memory_usage_bytes", "container_memory_working_set_bytes",
                "container_memory_rss", "container_memory_cache", "container_memory_swap", "container_processes", "container_threads")) {
            assertEquals(MetricType.GAUGE, one(metrics, gauge).getMetricType(), gauge);
        }
        assertTrue(metrics.stream().allMatch(m -> m.getTimestamp() == ContainerStates.nanos(AT)), "stamped with the reading's time");
    }

    @Test
    void memoryAndProcessesAreTheReadingsNumbers() {
        List<Metric> metrics = MetricSampler.container(LABELS, USAGE, null, null, 0);
        assertEquals(8_000_000, value(metrics, "container_memory_usage_bytes"));
        assertEquals(6_000_000, value(metrics, "container_memory_working_set_bytes"));
        assertEquals(3_000_000, value(metrics, "container_memory_rss"));
        assertEquals(4096, value(metrics, "container_memory_cache"));
        assertEquals(2048, value(metrics, "container_memory_mapped_file"));
        assertEquals(1024, value(metrics, "container_memory_swap"));
        assertEquals(9_000_000, value(metrics, "container_memory_max_usage_bytes"));
        assertEquals(3, value(metrics, "container_memory_failcnt"));
        assertEquals(1, value(metrics, "container_oom_events_total"));
        assertEquals(2, value(metrics, "container_processes"));
        assertEquals(5, value(metrics, "container_threads"));
        assertEquals(64, value(metrics, "container_threads_max"));
        Map<List<String>, Long> failures = metrics.stream().filter(m -> m.getName().equals("container_memory_failures_total"))
                .collect(Collectors.toMap(m -> m.getLabelValuesList().subList(5, 7), m -> m.getValue().getValue()));
        assertEquals(Map.of(List.of("pgfault", "container"), 900L, List.of("pgfault", "hierarchy"), 900L,
                List.of("pgmajfault", "container"), 9L, List.of("pgmajfault", "hierarchy"), 9L), failures);
    }

    @Test
    void specMetricsComeFromTheResourcesWithNoLimitAsZero() {
        List<Metric> limited = MetricSampler.container(LABELS, USAGE, resources(LinuxContainerResources.newBuilder()
                .setMemoryLimitInBytes(256 << 20).setMemorySwapLimitInBytes(512 << 20).setCpuShares(512).setCpuPeriod(100_000)
                .setCpuQuota(50_000).putUnified("memory.min", "1048576")), null, 1_600_000_000_900_000_000L);
        assertEquals(256 << 20, value(limited, "container_spec_memory_limit_bytes"));
        assertEquals(512 << 20, value(limited, "container_spec_memory_swap_limit_bytes"));
        assertEquals(512, value(limited, "container_spec_cpu_shares"));
        assertEquals(100_000, value(limited, "container_spec_cpu_period"));
        assertEquals(50_000, value(limited, "container_spec_cpu_quota"));
        assertEquals(1_048_576, value(limited, "container_spec_memory_reservation_limit_bytes"));
        assertEquals(1_600_000_000L, value(limited, "container_start_time_seconds"));

        List<Metric> unlimited = MetricSampler.container(LABELS, USAGE, resources(LinuxContainerResources.newBuilder()
                .setMemoryLimitInBytes(Long.MAX_VALUE).setMemorySwapLimitInBytes(-1)), null, 0);
        assertEquals(0, value(unlimited, "container_spec_memory_limit_bytes"), "the kernel's unlimited");
        assertEquals(0, value(unlimited, "container_spec_memory_swap_limit_bytes"), "-1: unlimited");
        assertEquals(0, value(unlimited, "container_spec_memory_reservation_limit_bytes"), "no memory.min");
        assertFalse(unlimited.stream().anyMatch(m -> m.getName().equals("container_spec_cpu_quota")), "no quota, no metric (as CRI-O)");

        List<Metric> unknown = MetricSampler.container(LABELS, USAGE, null, null, 0);
        assertFalse(unknown.stream().anyMatch(m -> m.getName().startsWith("container_spec_")), "no resources known, no spec metrics");
    }

    @Test
    void theWritableLayerIsTheFileSystemUsageStampedWithItsWalk() {
        Instant walked = AT.minusSeconds(5);
        Metric fs = one(MetricSampler.container(LABELS, USAGE, null, new LayerUsage.Usage(1_048_576, 12, walked), 0),
                "container_fs_usage_bytes");
        assertEquals(1_048_576, fs.getValue().getValue());
        assertEquals(MetricType.GAUGE, fs.getMetricType());
        assertEquals(ContainerStates.nanos(walked), fs.getTimestamp());
        assertFalse(MetricSampler.container(LABELS, USAGE, null, null, 0).stream().anyMatch(m -> m.getName().startsWith("container_fs_")),
                "no writable layer, no file system metric");
    }

    @Test
    void networkCountersArePerInterfaceWithThePodsLabels() {
        List<String> pod = List.of("sid", "", "ns", "pod", "POD");
        List<Metric> metrics = MetricSampler.network(pod, new StatsCache.Network(AT, List.of(
                new NetDevStats.Interface("eth0", 1000, 10, 1, 2, 2000, 20, 3, 4),
                new NetDevStats.Interface("net1", 5, 1, 0, 0, 6, 1, 0, 0))));
        assertEquals(16, metrics.size(), "8 counters for each of 2 interfaces");
        assertTrue(metrics.stream().allMatch(m -> m.getMetricType() == MetricType.COUNTER));
        Map<String, Long> eth0 = metrics.stream().filter(m -> m.getLabelValues(5).equals("eth0"))
                .peek(m -> assertEquals(pod, m.getLabelValuesList().subList(0, 5)))
                .collect(Collectors.toMap(Metric::getName, m -> m.getValue().getValue()));
        assertEquals(Map.of("container_network_receive_bytes_total", 1000L, "container_network_receive_packets_total", 10L,
                "container_network_receive_errors_total", 1L, "container_network_receive_packets_dropped_total", 2L,
                "container_network_transmit_bytes_total", 2000L, "container_network_transmit_packets_total", 20L,
                "container_network_transmit_errors_total", 3L, "container_network_transmit_packets_dropped_total", 4L), eth0);
        assertTrue(MetricSampler.network(pod, new StatsCache.Network(AT, List.of())).isEmpty(), "no interfaces, no metrics");
    }
}
