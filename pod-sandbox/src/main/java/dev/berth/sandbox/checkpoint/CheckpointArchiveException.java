package dev.berth.sandbox.checkpoint;

/** A checkpoint archive that breaks a rule (or cannot be read); the message names the archive, the entry and the rule. */
public final class CheckpointArchiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointArchiveException(String message) {
        super(message);
    }

    public CheckpointArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
