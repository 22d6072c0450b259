package dev.berth.runtime;

import java.time.Instant;

/**
 * How a container's init ended.
 *
 * @param code the exit code, 128 + signal when killed by one (137 for SIGKILL), as shells and kubelet report it
 * @param signal the signal that killed it, or 0
 * @param reason a runtime-side explanation when the exit was not the program's own (e.g. the shim died), or ""
 */
public record ExitStatus(int code, int signal, Instant exitedAt, String reason) {}
