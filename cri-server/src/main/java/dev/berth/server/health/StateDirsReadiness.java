package dev.berth.server.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** RuntimeReady: the runtime can work only while its root and state directories are writable. */
public final class StateDirsReadiness implements ReadinessCheck {
    public static final String TYPE = "RuntimeReady";

    private final List<Path> dirs;

    public StateDirsReadiness(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    @Override
    public Condition check() {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                return Condition.notReady(TYPE, "StateDirUnavailable",
                        dir + " is missing or not writable; restore it (mode 0700, owned by root) and restart berth");
            }
        }
        return Condition.ready(TYPE);
    }
}
