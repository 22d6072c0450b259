package dev.berth.runtime.cgroup;

/**
 * systemd refused a call, or its job failed. {@link #errorName()} is the D-Bus error name when
 * systemd answered with one (e.g. {@link #UNIT_EXISTS}), else null.
 */
public final class SystemdException extends RuntimeException {
    static final String UNIT_EXISTS = "org.freedesktop.systemd1.UnitExists";
    static final String NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";

    private final String errorName;

    SystemdException(String errorName, String message) {
        super(message);
        this.errorName = errorName;
    }

    SystemdException(String message, Throwable cause) {
        super(message, cause);
        this.errorName = null;
    }

    public String errorName() {
        return errorName;
    }

    boolean is(String name) {
        return name.equals(errorName);
    }
}
