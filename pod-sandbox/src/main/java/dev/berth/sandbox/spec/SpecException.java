package dev.berth.sandbox.spec;

/**
 * A container config that cannot become an OCI spec (a bad mount, an unknown seccomp profile,
 * a user the image does not know...). The message says what to fix; the caller answers
 * INVALID_ARGUMENT with it.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
