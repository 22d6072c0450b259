package dev.berth.runtime;

import java.nio.file.Path;

/**
 * What the caller adds to a bundle at create time.
 *
 * @param logPath the CRI log file the shim writes, or null for no log
 * @param pause run the pod sandbox's pause loop instead of process.args (no pause image needed)
 */
public record CreateOptions(Path logPath, boolean pause) {
    public static CreateOptions defaults() {
        return new CreateOptions(null, false);
    }
}
