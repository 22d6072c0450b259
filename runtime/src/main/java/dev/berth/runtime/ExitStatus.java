package dev.berth.runtime;

import java.time.Instant;

/**
 * How a container's init ended.
 *
 * @param code the exit code, 128 + signal when killed by one (137 for SIGKILL), as shells and kubelet report it
 * @param signal the signal that killed it, or 0
 * @param reason a runtime-side explanation when the exit was not the program's own (e.g. the shim died), or ""
 * @param oomKilled whether the kernel's OOM killer killed a process of the container (its init, usually) because
 *     its cgroup reached the memory limit while it ran: CRI's reason "OOMKilled". False when unknown (the shim
 *     died before it could read the cgroup's counters)
 * @param oomLimit whose memory limit it was, when {@code oomKilled} and the shim could tell; else null
 */
public record ExitStatus(int code, int signal, Instant exitedAt, String reason, boolean oomKilled, OomLimit oomLimit) {

    /** An exit the OOM killer had no part in. */
    public ExitStatus(int code, int signal, Instant exitedAt, String reason) {
        this(code, signal, exitedAt, reason, false, null);
    }

    /** An exit without knowing whose limit an OOM kill reached. */
    public ExitStatus(int code, int signal, Instant exitedAt, String reason, boolean oomKilled) {
        this(code, signal, exitedAt, reason, oomKilled, null);
    }
}
