package dev.berth.runtime;

/** The runtime has no container with this id. */
public final class NoSuchContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSuchContainerException(String id) {
        super("container " + id + " not found");
    }
}
