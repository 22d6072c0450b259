package dev.berth.server.rpc;

import dev.berth.cri.api.v1.AttachRequest;
import dev.berth.cri.api.v1.AttachResponse;
import dev.berth.cri.api.v1.CheckpointContainerRequest;
import dev.berth.cri.api.v1.CheckpointContainerResponse;
import dev.berth.cri.api.v1.ContainerEventResponse;
import dev.berth.cri.api.v1.ContainerStatsRequest;
import dev.berth.cri.api.v1.ContainerStatsResponse;
import dev.berth.cri.api.v1.ContainerStatusRequest;
import dev.berth.cri.api.v1.ContainerStatusResponse;
import dev.berth.cri.api.v1.CreateContainerRequest;
import dev.berth.cri.api.v1.CreateContainerResponse;
import dev.berth.cri.api.v1.ExecRequest;
import dev.berth.cri.api.v1.ExecResponse;
import dev.berth.cri.api.v1.ExecSyncRequest;
import dev.berth.cri.api.v1.ExecSyncResponse;
import dev.berth.cri.api.v1.GetEventsRequest;
import dev.berth.cri.api.v1.ListContainerStatsRequest;
import dev.berth.cri.api.v1.ListContainerStatsResponse;
import dev.berth.cri.api.v1.ListContainersRequest;
import dev.berth.cri.api.v1.ListContainersResponse;
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
import dev.berth.cri.api.v1.PodSandboxStatusRequest;
import dev.berth.cri.api.v1.PortForwardRequest;
import dev.berth.cri.api.v1.PortForwardResponse;
import dev.berth.cri.api.v1.PodSandboxStatusResponse;
import dev.berth.cri.api.v1.RemoveContainerRequest;
import dev.berth.cri.api.v1.RemoveContainerResponse;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.RemovePodSandboxResponse;
import dev.berth.cri.api.v1.ReopenContainerLogRequest;
import dev.berth.cri.api.v1.ReopenContainerLogResponse;
import dev.berth.cri.api.v1.RunPodSandboxRequest;
import dev.berth.cri.api.v1.RunPodSandboxResponse;
import dev.berth.cri.api.v1.RuntimeConfigRequest;
import dev.berth.cri.api.v1.RuntimeConfigResponse;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StartContainerRequest;
import dev.berth.cri.api.v1.StartContainerResponse;
import dev.berth.cri.api.v1.StatusRequest;
import dev.berth.cri.api.v1.StatusResponse;
import dev.berth.cri.api.v1.StopContainerRequest;
import dev.berth.cri.api.v1.StopContainerResponse;
import dev.berth.cri.api.v1.StopPodSandboxRequest;
import dev.berth.cri.api.v1.StopPodSandboxResponse;
import dev.berth.cri.api.v1.StreamContainerStatsRequest;
import dev.berth.cri.api.v1.StreamContainerStatsResponse;
import dev.berth.cri.api.v1.StreamContainersRequest;
import dev.berth.cri.api.v1.StreamContainersResponse;
import dev.berth.cri.api.v1.StreamPodSandboxMetricsRequest;
import dev.berth.cri.api.v1.StreamPodSandboxMetricsResponse;
import dev.berth.cri.api.v1.StreamPodSandboxStatsRequest;
import dev.berth.cri.api.v1.StreamPodSandboxStatsResponse;
import dev.berth.cri.api.v1.StreamPodSandboxesRequest;
import dev.berth.cri.api.v1.StreamPodSandboxesResponse;
import dev.berth.cri.api.v1.UpdateContainerResourcesRequest;
import dev.berth.cri.api.v1.UpdateContainerResourcesResponse;
import dev.berth.cri.api.v1.UpdatePodSandboxResourcesRequest;
import dev.berth.cri.api.v1.UpdatePodSandboxResourcesResponse;
import dev.berth.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.berth.cri.api.v1.UpdateRuntimeConfigResponse;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.cri.api.v1.VersionResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * The CRI RuntimeService as gRPC sees it. Each RPC is handed to the class of its group; an
 * RPC that no group serves yet keeps the generated default, which answers UNIMPLEMENTED
 * naming the method.
 */
public final class RuntimeServiceAdapter extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    private final RuntimeInfoRpcs info;
    private final SandboxRpcs sandboxes;
    private final ContainerRpcs containers;
    private final EventRpcs events;
    private final StreamingRpcs streaming;
    private final PodCidrRpcs podCidrs;

    public RuntimeServiceAdapter(RuntimeInfoRpcs info, SandboxRpcs sandboxes, ContainerRpcs containers, EventRpcs events,
            StreamingRpcs streaming, PodCidrRpcs podCidrs) {
        this.info = info;
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.events = events;
        this.streaming = streaming;
        this.podCidrs = podCidrs;
    }

    /** A server stream: it stays open after this returns, fed by the event bus. */
    @Override
    public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> responses) {
        events.getContainerEvents(request, responses);
    }

    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
        Unary.answer(request, response, info::version);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
        Unary.answer(request, response, info::status);
    }

    @Override
    public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> response) {
        Unary.answer(request, response, info::runtimeConfig);
    }

    @Override
    public void updateRuntimeConfig(UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> response) {
        Unary.answer(request, response, podCidrs::updateRuntimeConfig);
    }

    @Override
    public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> response) {
        Unary.answer(request, response, sandboxes::run);
    }

    @Override
    public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> response) {
        Unary.answer(request, response, sandboxes::stop);
    }

    @Override
    public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> response) {
        Unary.answer(request, response, sandboxes::remove);
    }

    @Override
    public void updatePodSandboxResources(UpdatePodSandboxResourcesRequest request,
            StreamObserver<UpdatePodSandboxResourcesResponse> response) {
        Unary.answer(request, response, sandboxes::updateResources);
    }

    @Override
    public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> response) {
        Unary.answer(request, response, sandboxes::status);
    }

    @Override
    public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> response) {
        Unary.answer(request, response, sandboxes::list);
    }

    /** The Stream twins are server streams of batches of what their List RPC answers; see {@link ListStream}. */
    @Override
    public void streamPodSandboxes(StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> responses) {
        sandboxes.stream(request, responses);
    }

    @Override
    public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> response) {
        Unary.answer(request, response, containers::create);
    }

    @Override
    public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> response) {
        Unary.answer(request, response, containers::start);
    }

    @Override
    public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> response) {
        Unary.answer(request, response, containers::stop);
    }

    @Override
    public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> response) {
        Unary.answer(request, response, containers::remove);
    }

    @Override
    public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> response) {
        Unary.answer(request, response, containers::status);
    }

    @Override
    public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> response) {
        Unary.answer(request, response, containers::list);
    }

    @Override
    public void streamContainers(StreamContainersRequest request, StreamObserver<StreamContainersResponse> responses) {
        containers.stream(request, responses);
    }

    @Override
    public void updateContainerResources(UpdateContainerResourcesRequest request, StreamObserver<UpdateContainerResourcesResponse> response) {
        Unary.answer(request, response, containers::updateResources);
    }

    @Override
    public void checkpointContainer(CheckpointContainerRequest request, StreamObserver<CheckpointContainerResponse> response) {
        Unary.answer(request, response, containers::checkpoint);
    }

    @Override
    public void reopenContainerLog(ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> response) {
        Unary.answer(request, response, containers::reopenLog);
    }

    @Override
    public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> response) {
        Unary.answer(request, response, containers::execSync);
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> response) {
        Unary.answer(request, response, streaming::exec);
    }

    @Override
    public void attach(AttachRequest request, StreamObserver<AttachResponse> response) {
        Unary.answer(request, response, streaming::attach);
    }

    @Override
    public void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> response) {
        Unary.answer(request, response, streaming::portForward);
    }

    @Override
    public void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> response) {
        Unary.answer(request, response, containers::stats);
    }

    @Override
    public void listContainerStats(ListContainerStatsRequest request, StreamObserver<ListContainerStatsResponse> response) {
        Unary.answer(request, response, containers::listStats);
    }

    @Override
    public void streamContainerStats(StreamContainerStatsRequest request, StreamObserver<StreamContainerStatsResponse> responses) {
        containers.streamStats(request, responses);
    }

    @Override
    public void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> response) {
        Unary.answer(request, response, sandboxes::stats);
    }

    @Override
    public void listPodSandboxStats(ListPodSandboxStatsRequest request, StreamObserver<ListPodSandboxStatsResponse> response) {
        Unary.answer(request, response, sandboxes::listStats);
    }

    @Override
    public void streamPodSandboxStats(StreamPodSandboxStatsRequest request, StreamObserver<StreamPodSandboxStatsResponse> responses) {
        sandboxes.streamStats(request, responses);
    }

    @Override
    public void listMetricDescriptors(ListMetricDescriptorsRequest request, StreamObserver<ListMetricDescriptorsResponse> response) {
        Unary.answer(request, response, sandboxes::listMetricDescriptors);
    }

    @Override
    public void listPodSandboxMetrics(ListPodSandboxMetricsRequest request, StreamObserver<ListPodSandboxMetricsResponse> response) {
        Unary.answer(request, response, sandboxes::listMetrics);
    }

    @Override
    public void streamPodSandboxMetrics(StreamPodSandboxMetricsRequest request,
            StreamObserver<StreamPodSandboxMetricsResponse> responses) {
        sandboxes.streamMetrics(request, responses);
    }

    /** Runs a unary handler; exceptions become statuses in the interceptor. */
    static final class Unary {
        private Unary() {}

        static <Q, R> void answer(Q request, StreamObserver<R> response, Function<Q, R> handler) {
            response.onNext(handler.apply(request));
            response.onCompleted();
        }
    }
}
