package dev.berth.runtime;

import java.nio.file.Path;

/**
 * What the caller adds to a bundle at create time.
 *
 * @param logPath the CRI log file the shim writes, or null for no log
 * @param pause run the pod sandbox's pause loop instead of process.args (no pause image needed)
 * @param stdin keep the container's stdin open for attach (otherwise it reads /dev/null)
 * @param stdinOnce close stdin when the first attached client detaches
 * @param restoreFrom CRIU images of a checkpoint ({@link ContainerRuntime#checkpoint}): start restores
 *     the processes they hold instead of running process.args; null for a new container
 */
public record CreateOptions(Path logPath, boolean pause, boolean stdin, boolean stdinOnce, Path restoreFrom) {

    public CreateOptions(Path logPath, boolean pause, boolean stdin, boolean stdinOnce) {
        this(logPath, pause, stdin, stdinOnce, null);
    }

    public CreateOptions(Path logPath, boolean pause) {
        this(logPath, pause, false, false);
    }

    public static CreateOptions defaults() {
        return new CreateOptions(null, false);
    }
}
