package dev.berth.runtime;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A container as the runtime sees it now.
 *
 * @param pid the init's pid in the host PID namespace (0 once it has exited and is reaped)
 * @param exit set when {@code status} is STOPPED
 */
public record ContainerState(String id, ContainerStatus status, long pid, Path bundle, Instant createdAt, ExitStatus exit) {}
