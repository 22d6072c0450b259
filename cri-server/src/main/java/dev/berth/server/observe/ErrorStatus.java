package dev.berth.server.observe;

import dev.berth.image.ImageException;
import dev.berth.sandbox.SandboxException;
import dev.berth.server.streaming.StreamTokens;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Maps exceptions that escape RPC handlers to gRPC statuses by meaning. */
public final class ErrorStatus {
    private ErrorStatus() {}

    public static Status of(Throwable e) {
        if (e instanceof StatusRuntimeException sre) {
            return sre.getStatus();
        }
        if (e instanceof ImageException ie) {
            return ofImage(ie.kind()).withDescription(e.getMessage()).withCause(e);
        }
        if (e instanceof SandboxException se) {
            return ofSandbox(se.kind()).withDescription(e.getMessage()).withCause(e);
        }
        if (e instanceof StreamTokens.LimitReachedException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).withCause(e);
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).withCause(e);
        }
        if (e instanceof IllegalStateException) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).withCause(e);
        }
        return Status.INTERNAL.withDescription("internal error: " + e).withCause(e);
    }

    private static Status ofSandbox(SandboxException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    /**
     * BAD_CONTENT (a digest or size mismatch, an unsafe tar entry, a limit exceeded) is
     * INVALID_ARGUMENT: the image asked for is one Berth refuses to store, and asking again
     * gets the same answer. DATA_LOSS would say Berth's own data is lost or corrupt, sending an
     * operator to the node's disk, while the store is intact (a failed pull leaves nothing behind).
     */
    private static Status ofImage(ImageException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT, BAD_CONTENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case TIMEOUT -> Status.DEADLINE_EXCEEDED;
            case IN_USE -> Status.FAILED_PRECONDITION;
            case INTERNAL -> Status.INTERNAL;
        };
    }
}
