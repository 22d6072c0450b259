package dev.berth.server.rpc;

import dev.berth.cri.api.v1.ListMetricDescriptorsRequest;
import dev.berth.cri.api.v1.ListMetricDescriptorsResponse;
import dev.berth.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.berth.cri.api.v1.ListPodSandboxMetricsResponse;
import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.ListPodSandboxResponse;
import dev.berth.cri.api.v1.ListPodSandboxStatsRequest;
import dev.berth.cri.api.v1.ListPodSandboxStatsResponse;
import dev.berth.cri.api.v1.PodSandboxStatsRequest;
import dev.berth.cri.api.v1.PodSandboxStatsResponse;
import dev.berth.cri.api.v1.PodSandboxStatus;
import dev.berth.cri.api.v1.PodSandboxStatusRequest;
import dev.berth.cri.api.v1.PodSandboxStatusResponse;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.RemovePodSandboxResponse;
import dev.berth.cri.api.v1.RunPodSandboxRequest;
import dev.berth.cri.api.v1.RunPodSandboxResponse;
import dev.berth.cri.api.v1.StopPodSandboxRequest;
import dev.berth.cri.api.v1.StopPodSandboxResponse;
import dev.berth.cri.api.v1.StreamPodSandboxMetricsRequest;
import dev.berth.cri.api.v1.StreamPodSandboxMetricsResponse;
import dev.berth.cri.api.v1.StreamPodSandboxStatsRequest;
import dev.berth.cri.api.v1.StreamPodSandboxStatsResponse;
import dev.berth.cri.api.v1.StreamPodSandboxesRequest;
import dev.berth.cri.api.v1.StreamPodSandboxesResponse;
import dev.berth.cri.api.v1.UpdatePodSandboxResourcesRequest;
import dev.berth.cri.api.v1.UpdatePodSandboxResourcesResponse;
import dev.berth.sandbox.SandboxService;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;

/**
 * RunPodSandbox, StopPodSandbox, RemovePodSandbox, PodSandboxStatus, ListPodSandbox,
 * UpdatePodSandboxResources, the pod stats and metrics (ListMetricDescriptors,
 * ListPodSandboxMetrics): unwraps the request, calls {@link SandboxService}, wraps the answer.
 * Failures become gRPC statuses in the interceptor ({@code ErrorStatus}). Each List RPC and its
 * Stream twin run the same query; the stream sends the result in batches ({@link ListStream}).
 */
public final class SandboxRpcs {
    private final SandboxService sandboxes;
    private final Clock clock;

    public SandboxRpcs(SandboxService sandboxes, Clock clock) {
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    public RunPodSandboxResponse run(RunPodSandboxRequest request) {
        return RunPodSandboxResponse.newBuilder()
                .setPodSandboxId(sandboxes.run(request.getConfig(), request.getRuntimeHandler())).build();
    }

    public StopPodSandboxResponse stop(StopPodSandboxRequest request) {
        sandboxes.stop(request.getPodSandboxId());
        return StopPodSandboxResponse.getDefaultInstance();
    }

    public RemovePodSandboxResponse remove(RemovePodSandboxRequest request) {
        sandboxes.remove(request.getPodSandboxId());
        return RemovePodSandboxResponse.getDefaultInstance();
    }

    /** A field the request leaves out keeps its value. */
    public UpdatePodSandboxResourcesResponse updateResources(UpdatePodSandboxResourcesRequest request) {
        sandboxes.updateResources(request.getPodSandboxId(), request.hasOverhead() ? request.getOverhead() : null,
                request.hasResources() ? request.getResources() : null);
        return UpdatePodSandboxResourcesResponse.getDefaultInstance();
    }

    public PodSandboxStatusResponse status(PodSandboxStatusRequest request) {
        Instant now = clock.instant();
        PodSandboxStatus status = sandboxes.status(request.getPodSandboxId());
        PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
                .setStatus(status)
                .addAllContainersStatuses(sandboxes.containers().statusesOf(status.getId()))
                .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        if (request.getVerbose()) {
            response.putAllInfo(sandboxes.verboseInfo(request.getPodSandboxId()));
        }
        return response.build();
    }

    public PodSandboxStatsResponse stats(PodSandboxStatsRequest request) {
        return PodSandboxStatsResponse.newBuilder().setStats(sandboxes.stats(request.getPodSandboxId())).build();
    }

    public ListPodSandboxStatsResponse listStats(ListPodSandboxStatsRequest request) {
        return ListPodSandboxStatsResponse.newBuilder()
                .addAllStats(sandboxes.listStats(request.hasFilter() ? request.getFilter() : null)).build();
    }

    public void streamStats(StreamPodSandboxStatsRequest request, StreamObserver<StreamPodSandboxStatsResponse> responses) {
        ListStream.send(sandboxes.listStats(request.hasFilter() ? request.getFilter() : null), responses,
                batch -> StreamPodSandboxStatsResponse.newBuilder().addAllPodSandboxStats(batch).build());
    }

    public ListMetricDescriptorsResponse listMetricDescriptors(ListMetricDescriptorsRequest request) {
        return ListMetricDescriptorsResponse.newBuilder().addAllDescriptors(sandboxes.metricDescriptors()).build();
    }

    public ListPodSandboxMetricsResponse listMetrics(ListPodSandboxMetricsRequest request) {
        return ListPodSandboxMetricsResponse.newBuilder().addAllPodMetrics(sandboxes.metrics()).build();
    }

    public void streamMetrics(StreamPodSandboxMetricsRequest request, StreamObserver<StreamPodSandboxMetricsResponse> responses) {
        ListStream.send(sandboxes.metrics(), responses,
                batch -> StreamPodSandboxMetricsResponse.newBuilder().addAllPodSandboxMetrics(batch).build());
    }

    public ListPodSandboxResponse list(ListPodSandboxRequest request) {
        return ListPodSandboxResponse.newBuilder()
                .addAllItems(sandboxes.list(request.hasFilter() ? request.getFilter() : null)).build();
    }

    public void stream(StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> responses) {
        ListStream.send(sandboxes.list(request.hasFilter() ? request.getFilter() : null), responses,
                batch -> StreamPodSandboxesResponse.newBuilder().addAllPodSandboxes(batch).build());
    }
}
