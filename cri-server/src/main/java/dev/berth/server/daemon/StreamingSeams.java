package dev.berth.server.daemon;

import dev.berth.server.streaming.PortDialer;
import dev.berth.server.streaming.RemoteCommands;
import dev.berth.server.streaming.RemoteProcess;
import dev.berth.server.streaming.StreamRequest;
import dev.berth.server.streaming.StreamTargets;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.Objects;

/** What the streaming server and its RPCs drive: processes in containers, ports in pods, and the checks before either. */
record StreamingSeams(RemoteCommands commands, PortDialer dialer, StreamTargets targets) {

    StreamingSeams {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(dialer, "dialer");
        Objects.requireNonNull(targets, "targets");
    }

    /**
     * TODO(issue 8): placeholders until the implementations over the pod-sandbox module land:
     * Exec, Attach and PortForward answer UNIMPLEMENTED, as before the streaming server existed.
     */
    static StreamingSeams unwired() {
        StreamTargets targets = new StreamTargets() {
            @Override
            public void requireRunningContainer(String containerId) {
                throw notYet();
            }

            @Override
            public void requireReadySandbox(String podSandboxId) {
                throw notYet();
            }
        };
        RemoteCommands commands = new RemoteCommands() {
            @Override
            public RemoteProcess exec(StreamRequest.Exec request) {
                throw notYet();
            }

            @Override
            public RemoteProcess attach(StreamRequest.Attach request) {
                throw notYet();
            }
        };
        PortDialer dialer = (podSandboxId, port) -> {
            throw new IOException("port-forward is not wired to pod sandboxes yet");
        };
        return new StreamingSeams(commands, dialer, targets);
    }

    private static StatusRuntimeException notYet() {
        return new StatusRuntimeException(Status.UNIMPLEMENTED.withDescription(
                "exec, attach and port-forward are not wired to pod sandboxes yet"));
    }
}
