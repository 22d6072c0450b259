package dev.berth.server.rpc;

import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.ListPodSandboxResponse;
import dev.berth.cri.api.v1.PodSandboxStatusRequest;
import dev.berth.cri.api.v1.PodSandboxStatusResponse;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.RemovePodSandboxResponse;
import dev.berth.cri.api.v1.RunPodSandboxRequest;
import dev.berth.cri.api.v1.RunPodSandboxResponse;
import dev.berth.cri.api.v1.StopPodSandboxRequest;
import dev.berth.cri.api.v1.StopPodSandboxResponse;
import dev.berth.sandbox.SandboxException;
import dev.berth.sandbox.SandboxService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * RunPodSandbox, StopPodSandbox, RemovePodSandbox, PodSandboxStatus and ListPodSandbox: unwraps
 * the request, calls {@link SandboxService}, wraps the answer. A {@link SandboxException} becomes
 * the gRPC status of its kind; everything else is left to the interceptor.
 */
public final class SandboxRpcs {
    private final SandboxService sandboxes;
    private final Clock clock;

    public SandboxRpcs(SandboxService sandboxes, Clock clock) {
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    public RunPodSandboxResponse run(RunPodSandboxRequest request) {
        return call(() -> RunPodSandboxResponse.newBuilder()
                .setPodSandboxId(sandboxes.run(request.getConfig(), request.getRuntimeHandler())).build());
    }

    public StopPodSandboxResponse stop(StopPodSandboxRequest request) {
        return call(() -> {
            sandboxes.stop(request.getPodSandboxId());
            return StopPodSandboxResponse.getDefaultInstance();
        });
    }

    public RemovePodSandboxResponse remove(RemovePodSandboxRequest request) {
        return call(() -> {
            sandboxes.remove(request.getPodSandboxId());
            return RemovePodSandboxResponse.getDefaultInstance();
        });
    }

    public PodSandboxStatusResponse status(PodSandboxStatusRequest request) {
        return call(() -> {
            Instant now = clock.instant();
            return PodSandboxStatusResponse.newBuilder()
                    .setStatus(sandboxes.status(request.getPodSandboxId()))
                    .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                    .build();
        });
    }

    public ListPodSandboxResponse list(ListPodSandboxRequest request) {
        return call(() -> ListPodSandboxResponse.newBuilder()
                .addAllItems(sandboxes.list(request.hasFilter() ? request.getFilter() : null)).build());
    }

    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (SandboxException e) {
            throw new StatusRuntimeException(status(e.kind()).withDescription(e.getMessage()).withCause(e));
        }
    }

    static Status status(SandboxException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
    }
}
