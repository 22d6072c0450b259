package dev.berth.server.observe;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/** Per-RPC Prometheus metrics: calls by method and status code, latency by method. */
public final class RpcMetrics {
    private final Counter requests;
    private final Histogram latency;

    public RpcMetrics(CollectorRegistry registry) {
        requests = Counter.build()
                .name("berth_grpc_requests_total")
                .help("CRI gRPC calls handled, by method and gRPC status code.")
                .labelNames("method", "code")
                .register(registry);
        latency = Histogram.build()
                .name("berth_grpc_request_duration_seconds")
                .help("Time from receiving a CRI gRPC call to sending its status, by method.")
                .labelNames("method")
                // From a map lookup (ContainerStatus) to an image pull.
                .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
                .register(registry);
    }

    void record(String method, String code, long nanos) {
        requests.labels(method, code).inc();
        latency.labels(method).observe(nanos / 1e9);
    }
}
