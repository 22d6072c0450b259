package dev.berth.server.daemon;

/** The daemon cannot start; the message says why and what to do. */
public final class DaemonStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonStartException(String message) {
        super(message);
    }

    public DaemonStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
