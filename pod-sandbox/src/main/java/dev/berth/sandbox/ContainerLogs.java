package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerConfig;
import java.nio.file.Path;

/** Where a container's CRI log goes: kubelet's {@code log_path} under the sandbox's {@code log_directory}. */
final class ContainerLogs {
    private ContainerLogs() {}

    /**
     * The log file, or null when kubelet asked for none (either part empty, as containerd). The
     * path must stay inside the log directory: it is joined, not trusted.
     */
    static Path path(SandboxRecord sandbox, ContainerConfig config) {
        String dir = sandbox.logDirectory();
        String file = config.getLogPath();
        if (dir.isEmpty() || file.isEmpty()) {
            return null;
        }
        Path base = Path.of(dir).normalize();
        if (!base.isAbsolute()) {
            throw SandboxException.invalid("pod sandbox " + sandbox.id() + " has a relative log_directory \"" + dir
                    + "\"; kubelet gives an absolute one");
        }
        Path log = base.resolve(file).normalize();
        if (Path.of(file).isAbsolute() || !log.startsWith(base) || log.equals(base)) {
            throw SandboxException.invalid("container log_path \"" + file + "\" must be a file name relative to the sandbox's log_directory "
                    + dir);
        }
        return log;
    }
}
