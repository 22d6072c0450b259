package dev.berth.sandbox;

import dev.berth.cri.api.v1.MetricDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics ListPodSandboxMetrics reports, with the names, help texts and label keys CRI-O
 * gives them (cAdvisor's names), so kubelet's /metrics/cadvisor serves the same series whichever
 * runtime runs the node. kubelet asks for these once at start and drops any metric whose name is
 * not among them; a metric's label values follow its descriptor's keys in order.
 *
 * <p>Only what Berth can compute from the cgroup files, /proc/<pause>/net/dev, the container's
 * resources and its writable layer is listed: no per-CPU usage, kernel memory, hugetlb, block I/O,
 * pressure, file descriptors, sockets, ulimits or file system capacity.
 */
final class MetricDescriptors {
    /** Every metric's first labels: the runtime's id and image, then where kubelet placed it. */
    static final List<String> BASE_LABELS = List.of("id", "image", "namespace", "pod", "container");

    static final MetricDescriptor LAST_SEEN = of("container_last_seen", "Last time a container was seen by the exporter");

    static final MetricDescriptor CPU_USER = of("container_cpu_user_seconds_total", "Cumulative user CPU time consumed in seconds.");
    static final MetricDescriptor CPU_SYSTEM = of("container_cpu_system_seconds_total",
            "Cumulative system CPU time consumed in seconds.");
    static final MetricDescriptor CPU_USAGE = of("container_cpu_usage_seconds_total", "Cumulative CPU time consumed in seconds.",
            "cpu");
    static final MetricDescriptor CFS_PERIODS = of("container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.");
    static final MetricDescriptor CFS_THROTTLED_PERIODS = of("container_cpu_cfs_throttled_periods_total",
            "Number of throttled period intervals.");
    static final MetricDescriptor CFS_THROTTLED_SECONDS = of("container_cpu_cfs_throttled_seconds_total",
            "Total time duration the container has been throttled.");

    static final MetricDescriptor MEMORY_CACHE = of("container_memory_cache", "Number of bytes of page cache memory.");
    static final MetricDescriptor MEMORY_RSS = of("container_memory_rss", "Size of RSS in bytes.");
    static final MetricDescriptor MEMORY_MAPPED_FILE = of("container_memory_mapped_file", "Size of memory mapped files in bytes.");
    static final MetricDescriptor MEMORY_SWAP = of("container_memory_swap", "Container swap usage in bytes.");
    static final MetricDescriptor MEMORY_FAILCNT = of("container_memory_failcnt", "Number of memory usage hits limits");
    static final MetricDescriptor MEMORY_USAGE = of("container_memory_usage_bytes",
            "Current memory usage in bytes, including all memory regardless of when it was accessed");
    static final MetricDescriptor MEMORY_MAX_USAGE = of("container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes");
    static final MetricDescriptor MEMORY_WORKING_SET = of("container_memory_working_set_bytes", "Current working set in bytes.");
    static final MetricDescriptor MEMORY_FAILURES = of("container_memory_failures_total",
            "Cumulative count of memory allocation failures.", "failure_type", "scope");

    static final MetricDescriptor OOM_EVENTS = of("container_oom_events_total",
            "Count of out of memory events observed for the container");

    static final MetricDescriptor PROCESSES = of("container_processes", "Number of processes running inside the container.");
    static final MetricDescriptor THREADS = of("container_threads", "Number of threads running inside the container");
    static final MetricDescriptor THREADS_MAX = of("container_threads_max",
            "Maximum number of threads allowed inside the container, infinity if value is zero");

    static final MetricDescriptor SPEC_MEMORY_LIMIT = of("container_spec_memory_limit_bytes", "Memory limit for the container in bytes.");
    static final MetricDescriptor SPEC_MEMORY_RESERVATION = of("container_spec_memory_reservation_limit_bytes",
            "Memory reservation limit for the container.");
    static final MetricDescriptor SPEC_MEMORY_SWAP_LIMIT = of("container_spec_memory_swap_limit_bytes",
            "Memory swap limit for the container.");
    static final MetricDescriptor SPEC_CPU_PERIOD = of("container_spec_cpu_period", "CPU period of the container.");
    static final MetricDescriptor SPEC_CPU_SHARES = of("container_spec_cpu_shares", "CPU share of the container.");
    static final MetricDescriptor SPEC_CPU_QUOTA = of("container_spec_cpu_quota", "CPU quota of the container.");
    static final MetricDescriptor START_TIME = of("container_start_time_seconds",
            "Start time of the container since unix epoch in seconds.");

    static final MetricDescriptor FS_USAGE = of("container_fs_usage_bytes", "Current filesystem usage in bytes.");

    static final MetricDescriptor NETWORK_RECEIVE_BYTES = network("container_network_receive_bytes_total",
            "Cumulative count of bytes received");
    static final MetricDescriptor NETWORK_RECEIVE_PACKETS = network("container_network_receive_packets_total",
            "Cumulative count of packets received");
    static final MetricDescriptor NETWORK_RECEIVE_DROPPED = network("container_network_receive_packets_dropped_total",
            "Cumulative count of packets dropped while receiving");
    static final MetricDescriptor NETWORK_RECEIVE_ERRORS = network("container_network_receive_errors_total",
            "Cumulative count of errors encountered while receiving");
    static final MetricDescriptor NETWORK_TRANSMIT_BYTES = network("container_network_transmit_bytes_total",
            "Cumulative count of bytes transmitted");
    static final MetricDescriptor NETWORK_TRANSMIT_PACKETS = network("container_network_transmit_packets_total",
            "Cumulative count of packets transmitted");
    static final MetricDescriptor NETWORK_TRANSMIT_DROPPED = network("container_network_transmit_packets_dropped_total",
            "Cumulative count of packets dropped while transmitting");
    static final MetricDescriptor NETWORK_TRANSMIT_ERRORS = network("container_network_transmit_errors_total",
            "Cumulative count of errors encountered while transmitting");

    /** What ListMetricDescriptors answers. */
    static final List<MetricDescriptor> ALL = List.of(LAST_SEEN,
            CPU_USER, CPU_SYSTEM, CPU_USAGE, CFS_PERIODS, CFS_THROTTLED_PERIODS, CFS_THROTTLED_SECONDS,
            MEMORY_CACHE, MEMORY_RSS, MEMORY_MAPPED_FILE, MEMORY_SWAP, MEMORY_FAILCNT, MEMORY_USAGE, MEMORY_MAX_USAGE,
            MEMORY_WORKING_SET, MEMORY_FAILURES,
            OOM_EVENTS,
            PROCESSES, THREADS, THREADS_MAX,
            SPEC_MEMORY_LIMIT, SPEC_MEMORY_RESERVATION, SPEC_MEMORY_SWAP_LIMIT, SPEC_CPU_PERIOD, SPEC_CPU_SHARES, SPEC_CPU_QUOTA,
            START_TIME,
            FS_USAGE,
            NETWORK_RECEIVE_BYTES, NETWORK_RECEIVE_PACKETS, NETWORK_RECEIVE_DROPPED, NETWORK_RECEIVE_ERRORS,
            NETWORK_TRANSMIT_BYTES, NETWORK_TRANSMIT_PACKETS, NETWORK_TRANSMIT_DROPPED, NETWORK_TRANSMIT_ERRORS);

    private MetricDescriptors() {}

    private static MetricDescriptor of(String name, String help, String... extraLabels) {
        List<String> keys = new ArrayList<>(BASE_LABELS);
        keys.addAll(List.of(extraLabels));
        return MetricDescriptor.newBuilder().setName(name).setHelp(help).addAllLabelKeys(keys).build();
    }

    /** Network counters are the pod's, per interface. */
    private static MetricDescriptor network(String name, String help) {
        return of(name, help, "interface");
    }
}
