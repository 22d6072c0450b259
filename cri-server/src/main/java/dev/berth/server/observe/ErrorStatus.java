package dev.berth.server.observe;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Maps exceptions that escape RPC handlers to gRPC statuses by meaning. */
public final class ErrorStatus {
    private ErrorStatus() {}

    public static Status of(Throwable e) {
        if (e instanceof StatusRuntimeException sre) {
            return sre.getStatus();
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).withCause(e);
        }
        if (e instanceof IllegalStateException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).withCause(e);
        }
        return Status.INTERNAL.withDescription("internal error: " + e).withCause(e);
    }
}
