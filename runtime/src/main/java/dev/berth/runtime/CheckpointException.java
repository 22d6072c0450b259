package dev.berth.runtime;

/** A checkpoint that did not happen; {@link #kind()} says why, the message what to do. */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, by meaning (callers map these to status codes). */
    public enum Kind {
        /** CRIU is missing or {@code criu check} fails on this node. */
        UNAVAILABLE,
        /** The container cannot be checkpointed as it is (not running, has a terminal...). */
        NOT_CHECKPOINTABLE,
        /** The dump took longer than allowed (the container keeps running). */
        TIMEOUT,
        /** CRIU tried and failed; the message carries the end of its log. */
        FAILED
    }

    private final Kind kind;

    public CheckpointException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
