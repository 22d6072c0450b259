package dev.berth.runtime.oci;

/** A bundle or config.json Berth cannot run; the message says which field and why. */
public final class InvalidSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidSpecException(String message) {
        super(message);
    }
}
