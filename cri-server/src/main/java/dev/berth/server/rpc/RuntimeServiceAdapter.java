package dev.berth.server.rpc;

import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.ListPodSandboxResponse;
import dev.berth.cri.api.v1.PodSandboxStatusRequest;
import dev.berth.cri.api.v1.PodSandboxStatusResponse;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.RemovePodSandboxResponse;
import dev.berth.cri.api.v1.RunPodSandboxRequest;
import dev.berth.cri.api.v1.RunPodSandboxResponse;
import dev.berth.cri.api.v1.RuntimeConfigRequest;
import dev.berth.cri.api.v1.RuntimeConfigResponse;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StatusRequest;
import dev.berth.cri.api.v1.StatusResponse;
import dev.berth.cri.api.v1.StopPodSandboxRequest;
import dev.berth.cri.api.v1.StopPodSandboxResponse;
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

    public RuntimeServiceAdapter(RuntimeInfoRpcs info, SandboxRpcs sandboxes) {
        this.info = info;
        this.sandboxes = sandboxes;
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
    public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> response) {
        Unary.answer(request, response, sandboxes::status);
    }

    @Override
    public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> response) {
        Unary.answer(request, response, sandboxes::list);
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
