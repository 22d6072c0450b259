package dev.berth.server.daemon;

import dev.berth.runtime.sys.Syscalls;
import dev.berth.sandbox.SandboxService;
import dev.berth.server.streaming.PodPortDialer;
import dev.berth.server.streaming.PodRemoteCommands;
import dev.berth.server.streaming.PodStreamTargets;
import dev.berth.server.streaming.PortDialer;
import dev.berth.server.streaming.RemoteCommands;
import dev.berth.server.streaming.StreamTargets;
import java.util.Objects;

/** What the streaming server and its RPCs drive: processes in containers, ports in pods, and the checks before either. */
record StreamingSeams(RemoteCommands commands, PortDialer dialer, StreamTargets targets) {

    StreamingSeams {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(dialer, "dialer");
        Objects.requireNonNull(targets, "targets");
    }

    /** Exec through the runtime helper, attach through the container's shim, ports dialled in the pod's netns. */
    static StreamingSeams over(SandboxService sandboxes, Syscalls sys) {
        return new StreamingSeams(new PodRemoteCommands(sandboxes.containers()), new PodPortDialer(sandboxes, sys),
                new PodStreamTargets(sandboxes));
    }
}
