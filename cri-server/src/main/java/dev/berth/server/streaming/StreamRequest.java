package dev.berth.server.streaming;

import java.util.List;

/**
 * What a streaming URL's token stands for: the CRI Exec, Attach or PortForward request that
 * made it. The streaming server acts on it once, when the client connects.
 */
public sealed interface StreamRequest {

    /** CRI Exec: run {@code command} in the container, with the streams the client asked for. */
    record Exec(String containerId, List<String> command, boolean tty, boolean stdin, boolean stdout, boolean stderr)
            implements StreamRequest {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /** CRI Attach: the container's own stdio. */
    record Attach(String containerId, boolean tty, boolean stdin, boolean stdout, boolean stderr) implements StreamRequest {}

    /** CRI PortForward: TCP ports inside the pod's network namespace ({@code ports} may be empty: the client names them). */
    record PortForward(String podSandboxId, List<Integer> ports) implements StreamRequest {
        public PortForward {
            ports = List.copyOf(ports);
        }
    }
}
