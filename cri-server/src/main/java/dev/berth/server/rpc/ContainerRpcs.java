package dev.berth.server.rpc;

import com.google.protobuf.ByteString;
import dev.berth.cri.api.v1.CheckpointContainerRequest;
import dev.berth.cri.api.v1.CheckpointContainerResponse;
import dev.berth.cri.api.v1.ContainerStatsRequest;
import dev.berth.cri.api.v1.ContainerStatsResponse;
import dev.berth.cri.api.v1.ContainerStatusRequest;
import dev.berth.cri.api.v1.ContainerStatusResponse;
import dev.berth.cri.api.v1.CreateContainerRequest;
import dev.berth.cri.api.v1.CreateContainerResponse;
import dev.berth.cri.api.v1.ExecSyncRequest;
import dev.berth.cri.api.v1.ExecSyncResponse;
import dev.berth.cri.api.v1.ListContainerStatsRequest;
import dev.berth.cri.api.v1.ListContainerStatsResponse;
import dev.berth.cri.api.v1.ListContainersRequest;
import dev.berth.cri.api.v1.ListContainersResponse;
import dev.berth.cri.api.v1.RemoveContainerRequest;
import dev.berth.cri.api.v1.RemoveContainerResponse;
import dev.berth.cri.api.v1.ReopenContainerLogRequest;
import dev.berth.cri.api.v1.ReopenContainerLogResponse;
import dev.berth.cri.api.v1.StartContainerRequest;
import dev.berth.cri.api.v1.StartContainerResponse;
import dev.berth.cri.api.v1.StopContainerRequest;
import dev.berth.cri.api.v1.StopContainerResponse;
import dev.berth.cri.api.v1.StreamContainerStatsRequest;
import dev.berth.cri.api.v1.StreamContainerStatsResponse;
import dev.berth.cri.api.v1.StreamContainersRequest;
import dev.berth.cri.api.v1.StreamContainersResponse;
import dev.berth.cri.api.v1.UpdateContainerResourcesRequest;
import dev.berth.cri.api.v1.UpdateContainerResourcesResponse;
import dev.berth.runtime.ExecResult;
import dev.berth.sandbox.ContainerService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/**
 * The container RPCs of the RuntimeService: unwrap the request, call {@link ContainerService},
 * wrap the answer. Failures become gRPC statuses in the interceptor ({@code ErrorStatus}). Each
 * List RPC and its Stream twin run the same query; the stream sends the result in batches
 * ({@link ListStream}).
 */
public final class ContainerRpcs {
    private final ContainerService containers;

    public ContainerRpcs(ContainerService containers) {
        this.containers = containers;
    }

    public CreateContainerResponse create(CreateContainerRequest request) {
        return CreateContainerResponse.newBuilder()
                .setContainerId(containers.create(request.getPodSandboxId(), request.getConfig(), request.getSandboxConfig()))
                .build();
    }

    public CheckpointContainerResponse checkpoint(CheckpointContainerRequest request) {
        containers.checkpoint(request.getContainerId(), request.getLocation(), Duration.ofSeconds(Math.max(0, request.getTimeout())));
        return CheckpointContainerResponse.getDefaultInstance();
    }

    public StartContainerResponse start(StartContainerRequest request) {
        containers.start(request.getContainerId());
        return StartContainerResponse.getDefaultInstance();
    }

    public StopContainerResponse stop(StopContainerRequest request) {
        containers.stop(request.getContainerId(), Duration.ofSeconds(Math.max(0, request.getTimeout())));
        return StopContainerResponse.getDefaultInstance();
    }

    public RemoveContainerResponse remove(RemoveContainerRequest request) {
        containers.remove(request.getContainerId());
        return RemoveContainerResponse.getDefaultInstance();
    }

    public ContainerStatusResponse status(ContainerStatusRequest request) {
        ContainerStatusResponse.Builder response = ContainerStatusResponse.newBuilder()
                .setStatus(containers.status(request.getContainerId()));
        if (request.getVerbose()) {
            response.putAllInfo(containers.verboseInfo(request.getContainerId()));
        }
        return response.build();
    }

    public ListContainersResponse list(ListContainersRequest request) {
        return ListContainersResponse.newBuilder()
                .addAllContainers(containers.list(request.hasFilter() ? request.getFilter() : null))
                .build();
    }

    public void stream(StreamContainersRequest request, StreamObserver<StreamContainersResponse> responses) {
        ListStream.send(containers.list(request.hasFilter() ? request.getFilter() : null), responses,
                batch -> StreamContainersResponse.newBuilder().addAllContainers(batch).build());
    }

    public ContainerStatsResponse stats(ContainerStatsRequest request) {
        return ContainerStatsResponse.newBuilder().setStats(containers.stats(request.getContainerId())).build();
    }

    public ListContainerStatsResponse listStats(ListContainerStatsRequest request) {
        return ListContainerStatsResponse.newBuilder()
                .addAllStats(containers.listStats(request.hasFilter() ? request.getFilter() : null))
                .build();
    }

    public void streamStats(StreamContainerStatsRequest request, StreamObserver<StreamContainerStatsResponse> responses) {
        ListStream.send(containers.listStats(request.hasFilter() ? request.getFilter() : null), responses,
                batch -> StreamContainerStatsResponse.newBuilder().addAllContainerStats(batch).build());
    }

    public UpdateContainerResourcesResponse updateResources(UpdateContainerResourcesRequest request) {
        containers.updateResources(request.getContainerId(), request.getLinux());
        return UpdateContainerResourcesResponse.getDefaultInstance();
    }

    public ReopenContainerLogResponse reopenLog(ReopenContainerLogRequest request) {
        containers.reopenLog(request.getContainerId());
        return ReopenContainerLogResponse.getDefaultInstance();
    }

    /** A command that outlives its timeout is killed and the call fails with DEADLINE_EXCEEDED, as containerd answers. */
    public ExecSyncResponse execSync(ExecSyncRequest request) {
        Duration timeout = Duration.ofSeconds(Math.max(0, request.getTimeout()));
        ExecResult result = containers.execSync(request.getContainerId(), request.getCmdList(), timeout);
        if (result.timedOut()) {
            throw new StatusRuntimeException(Status.DEADLINE_EXCEEDED.withDescription("command " + request.getCmdList()
                    + " in container " + request.getContainerId() + " did not finish within " + timeout.toSeconds()
                    + " s and was killed"));
        }
        return ExecSyncResponse.newBuilder()
                .setStdout(ByteString.copyFrom(result.stdout()))
                .setStderr(ByteString.copyFrom(result.stderr()))
                .setExitCode(result.exitCode())
                .build();
    }
}
