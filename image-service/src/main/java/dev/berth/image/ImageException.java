package dev.berth.image;

/** A failure of the image service; {@link #kind()} lets callers map it to a status code. */
public final class ImageException extends RuntimeException {
    /** What went wrong, by meaning (cri-server maps these to gRPC codes). */
    public enum Kind {
        /** A malformed reference or option. */
        INVALID_ARGUMENT,
        /** No such image, locally or in the registry. */
        NOT_FOUND,
        /** The registry refused the credentials (or wants some). */
        UNAUTHENTICATED,
        /** Image bytes broke a rule: digest or size mismatch, unsafe tar entry, a limit exceeded. */
        BAD_CONTENT,
        /** The registry could not be reached or kept failing. */
        UNAVAILABLE,
        /** A pull made no progress for too long. */
        TIMEOUT,
        /** An image still in use by a container cannot go. */
        IN_USE,
        /** Local I/O failed. */
        INTERNAL
    }

    private final Kind kind;

    public ImageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ImageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
