package dev.berth.sandbox;

/** A sandbox call that failed for a reason the caller can act on; {@link #kind()} says which gRPC code fits. */
public final class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The meaning of the failure, mapped one to one onto gRPC status codes by cri-server. */
    public enum Kind {
        INVALID_ARGUMENT,
        NOT_FOUND,
        ALREADY_EXISTS,
        DEADLINE_EXCEEDED,
        FAILED_PRECONDITION,
        UNAVAILABLE,
        INTERNAL
    }

    private final Kind kind;

    public SandboxException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SandboxException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static SandboxException invalid(String message) {
        return new SandboxException(Kind.INVALID_ARGUMENT, message);
    }

    static SandboxException containerNotFound(String id) {
        return new SandboxException(Kind.NOT_FOUND, "container " + id + " not found; list containers to see the ids that exist");
    }

    static SandboxException notFound(String id) {
        return new SandboxException(Kind.NOT_FOUND, "pod sandbox " + id + " not found; list sandboxes to see the ids that exist");
    }
}
