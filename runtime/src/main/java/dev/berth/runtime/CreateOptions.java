package dev.berth.runtime;

import java.nio.file.Path;

/**
 * What the caller adds to a bundle at create time.
 *
 * @param logPath the CRI log file the shim writes, or null for no log
 * @param pause run the pod sandbox's pause loop instead of process.args (no pause image needed)
 * @param stdin keep the container's stdin open for attach (otherwise it reads /dev/null)
 * @param stdinOnce close stdin when the first attached client detaches
 */
public record CreateOptions(Path logPath, boolean pause, boolean stdin, boolean stdinOnce) {

    public CreateOptions(Path logPath, boolean pause) {
        this(logPath, pause, false, false);
    }

    public static CreateOptions defaults() {
        return new CreateOptions(null, false);
    }
}
