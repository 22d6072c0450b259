package dev.berth.server.observe;

import java.util.logging.LogManager;

/**
 * A LogManager whose handlers stay until the process exits. The JDK's default manager drops
 * every handler in its own shutdown hook, racing Berth's shutdown hook, whose last lines
 * ("stopped") would then be lost.
 */
public final class KeepHandlersLogManager extends LogManager {

    @Override
    public void reset() {
        // Only the JDK's shutdown hook calls this; see the class comment.
    }

    void clearHandlers() {
        super.reset();
    }
}
