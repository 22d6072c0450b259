package dev.berth.server.rpc;

import dev.berth.cri.api.v1.AttachRequest;
import dev.berth.cri.api.v1.AttachResponse;
import dev.berth.cri.api.v1.ExecRequest;
import dev.berth.cri.api.v1.ExecResponse;
import dev.berth.cri.api.v1.PortForwardRequest;
import dev.berth.cri.api.v1.PortForwardResponse;
import dev.berth.server.streaming.StreamRequest;
import dev.berth.server.streaming.StreamTargets;
import dev.berth.server.streaming.StreamingServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * CRI Exec, Attach and PortForward: check the request and its target, then answer a one-time
 * URL on the {@link StreamingServer}; the session itself happens when the client connects there.
 * The checks are kubelet's streaming server's (containerd answers the same): an id, at least one
 * stream, no stderr with a tty.
 */
public final class StreamingRpcs {
    private final StreamTargets targets;
    private final StreamingServer server;

    public StreamingRpcs(StreamTargets targets, StreamingServer server) {
        this.targets = targets;
        this.server = server;
    }

    public ExecResponse exec(ExecRequest request) {
        String id = request.getContainerId();
        requireId(id, "exec", "container_id", "the container to run the command in");
        if (request.getCmdCount() == 0) {
            throw invalid("exec in container " + id + ": cmd is empty; give the command to run");
        }
        requireStreams("exec in container " + id, request.getTty(), request.getStdin(), request.getStdout(), request.getStderr());
        targets.requireRunningContainer(id);
        String url = server.issue(new StreamRequest.Exec(id, request.getCmdList(), request.getTty(), request.getStdin(),
                request.getStdout(), request.getStderr()));
        return ExecResponse.newBuilder().setUrl(url).build();
    }

    public AttachResponse attach(AttachRequest request) {
        String id = request.getContainerId();
        requireId(id, "attach", "container_id", "the container to attach to");
        requireStreams("attach to container " + id, request.getTty(), request.getStdin(), request.getStdout(), request.getStderr());
        targets.requireRunningContainer(id);
        String url = server.issue(new StreamRequest.Attach(id, request.getTty(), request.getStdin(), request.getStdout(),
                request.getStderr()));
        return AttachResponse.newBuilder().setUrl(url).build();
    }

    public PortForwardResponse portForward(PortForwardRequest request) {
        String id = request.getPodSandboxId();
        requireId(id, "port-forward", "pod_sandbox_id", "the pod sandbox to forward to");
        for (int port : request.getPortList()) {
            if (port < 1 || port > 65535) {
                throw invalid("port-forward to pod sandbox " + id + ": port " + port + " is outside 1-65535");
            }
        }
        targets.requireReadySandbox(id);
        String url = server.issue(new StreamRequest.PortForward(id, request.getPortList()));
        return PortForwardResponse.newBuilder().setUrl(url).build();
    }

    private static void requireId(String id, String rpc, String field, String meaning) {
        if (id.isEmpty()) {
            throw invalid(rpc + ": " + field + " is empty; name " + meaning);
        }
    }

    private static void requireStreams(String what, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        if (!stdin && !stdout && !stderr) {
            throw invalid(what + ": none of stdin, stdout and stderr is set; ask for at least one");
        }
        if (tty && stderr) {
            throw invalid(what + ": tty and stderr cannot both be set (a terminal has one output stream); drop stderr");
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription(message));
    }
}
