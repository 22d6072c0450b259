package dev.berth.runtime;

/** The runtime could not do what was asked (the shim reported why, or did not answer). */
public final class RuntimeFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuntimeFailureException(String message) {
        super(message);
    }

    public RuntimeFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
