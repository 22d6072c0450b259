package dev.berth.cni;

/**
 * A failed CNI operation. When a plugin reported a CNI error object, {@link #code()} is its code
 * (1..99 well-known, 100+ plugin-specific) and the message holds its {@code msg} and
 * {@code details}; errors found by Berth itself have code {@link #RUNTIME_ERROR} or
 * {@link #TIMEOUT}.
 */
public final class CniException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The plugin could not be run, or its output was not a CNI result. */
    public static final int RUNTIME_ERROR = -1;
    /** The plugin ran longer than the configured timeout and was killed. */
    public static final int TIMEOUT = -2;
    /** CNI code 11: a transient condition, retry later. */
    public static final int TRY_AGAIN_LATER = 11;

    private final int code;
    private final String plugin;

    public CniException(String plugin, int code, String message) {
        super(message);
        this.plugin = plugin;
        this.code = code;
    }

    public CniException(String plugin, int code, String message, Throwable cause) {
        super(message, cause);
        this.plugin = plugin;
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The plugin type involved, or empty when no single plugin is to blame. */
    public String plugin() {
        return plugin;
    }
}
