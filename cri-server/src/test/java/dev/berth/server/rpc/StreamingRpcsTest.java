package dev.berth.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.AttachRequest;
import dev.berth.cri.api.v1.ExecRequest;
import dev.berth.cri.api.v1.PortForwardRequest;
import dev.berth.server.config.ListenAddress;
import dev.berth.server.observe.ErrorStatus;
import dev.berth.server.streaming.PortDialer;
import dev.berth.server.streaming.RemoteCommands;
import dev.berth.server.streaming.RemoteProcess;
import dev.berth.server.streaming.StreamLimits;
import dev.berth.server.streaming.StreamRequest;
import dev.berth.server.streaming.StreamTargets;
import dev.berth.server.streaming.StreamTokens;
import dev.berth.server.streaming.StreamingServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingRpcsTest {
    private final List<String> checked = new CopyOnWriteArrayList<>();
    private final Set<String> missing = new java.util.concurrent.CopyOnWriteArraySet<>();
    private final StreamTokens tokens = new StreamTokens(Clock.systemUTC());
    private StreamingServer server;
    private StreamingRpcs rpcs;

    /** Knows every id except those in {@link #missing}. */
    private final StreamTargets targets = new StreamTargets() {
        @Override
        public void requireRunningContainer(String containerId) {
            check("container " + containerId);
        }

        @Override
        public void requireReadySandbox(String podSandboxId) {
            check("sandbox " + podSandboxId);
        }

        private void check(String what) {
            checked.add(what);
            if (missing.contains(what)) {
                throw new StatusRuntimeException(Status.NOT_FOUND.withDescription(what + " not found"));
            }
        }
    };

    @BeforeEach
    void start() throws IOException {
        RemoteCommands commands = new RemoteCommands() {
            @Override
            public RemoteProcess exec(StreamRequest.Exec request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RemoteProcess attach(StreamRequest.Attach request) {
                throw new UnsupportedOperationException();
            }
        };
        PortDialer dialer = (podSandboxId, port) -> {
            throw new IOException("no dialing here");
        };
        server = StreamingServer.start(new StreamingServer.Settings(new ListenAddress("127.0.0.1", 0), Optional.empty(),
                StreamLimits.DEFAULTS), tokens, commands, dialer);
        rpcs = new StreamingRpcs(targets, server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The request a URL's token stands for (using the token up). */
    private StreamRequest behind(String url, String kind) {
        assertTrue(url.matches("http://127\\.0\\.0\\.1:" + server.port() + "/" + kind + "/[A-Za-z0-9_-]{22}"), url);
        String path = URI.create(url).getPath();
        return tokens.consume(path.substring(path.lastIndexOf('/') + 1)).orElseThrow();
    }

    @Test
    void execAnswersAOneTimeUrlForARunningContainer() {
        String url = rpcs.exec(ExecRequest.newBuilder().setContainerId("c1").addCmd("sh").addCmd("-c").addCmd("date")
                .setTty(true).setStdin(true).setStdout(true).build()).getUrl();
        assertEquals(new StreamRequest.Exec("c1", List.of("sh", "-c", "date"), true, true, true, false), behind(url, "exec"));
        assertEquals(List.of("container c1"), checked);
    }

    @Test
    void attachAnswersAOneTimeUrlForARunningContainer() {
        String url = rpcs.attach(AttachRequest.newBuilder().setContainerId("c2").setStdout(true).setStderr(true).build()).getUrl();
        assertEquals(new StreamRequest.Attach("c2", false, false, true, true), behind(url, "attach"));
        assertEquals(List.of("container c2"), checked);
    }

    @Test
    void portForwardAnswersAOneTimeUrlForAReadySandbox() {
        String url = rpcs.portForward(PortForwardRequest.newBuilder().setPodSandboxId("p1").addPort(80).addPort(443).build()).getUrl();
        assertEquals(new StreamRequest.PortForward("p1", List.of(80, 443)), behind(url, "portforward"));
        assertEquals(List.of("sandbox p1"), checked);
    }

    @Test
    void badRequestsAreInvalidArgumentsNamingTheProblem() {
        ExecRequest exec = ExecRequest.newBuilder().setContainerId("c1").addCmd("ls").setStdout(true).build();
        invalid(() -> rpcs.exec(exec.toBuilder().setContainerId("").build()), "exec: container_id is empty");
        invalid(() -> rpcs.exec(exec.toBuilder().clearCmd().build()), "exec in container c1: cmd is empty");
        invalid(() -> rpcs.exec(exec.toBuilder().setStdout(false).build()), "exec in container c1: none of stdin, stdout and stderr is set");
        invalid(() -> rpcs.exec(exec.toBuilder().setTty(true).setStderr(true).build()), "exec in container c1: tty and stderr cannot both be set");
        AttachRequest attach = AttachRequest.newBuilder().setContainerId("c1").setStdin(true).build();
        invalid(() -> rpcs.attach(attach.toBuilder().setContainerId("").build()), "attach: container_id is empty");
        invalid(() -> rpcs.attach(attach.toBuilder().setStdin(false).build()), "attach to container c1: none of stdin");
        invalid(() -> rpcs.attach(attach.toBuilder().setTty(true).setStderr(true).build()), "attach to container c1: tty and stderr");
        invalid(() -> rpcs.portForward(PortForwardRequest.getDefaultInstance()), "port-forward: pod_sandbox_id is empty");
        invalid(() -> rpcs.portForward(PortForwardRequest.newBuilder().setPodSandboxId("p1").addPort(0).build()),
                "port-forward to pod sandbox p1: port 0 is outside 1-65535");
        assertEquals(List.of(), checked, "nothing looked up for a bad request");
        assertEquals(0, tokens.inFlight());
    }

    private static void invalid(Executable call, String messageStart) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::execute);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().startsWith(messageStart), e.getStatus().getDescription());
    }

    @Test
    void aMissingTargetFailsTheCallAndIssuesNoToken() {
        missing.add("container gone");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> rpcs.exec(ExecRequest.newBuilder().setContainerId("gone").addCmd("ls").setStdout(true).build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals(0, tokens.inFlight());
    }

    @Test
    void tooManyUrlsWaitingForClientsIsResourceExhausted() {
        ExecRequest exec = ExecRequest.newBuilder().setContainerId("c1").addCmd("ls").setStdout(true).build();
        for (int i = 0; i < StreamTokens.MAX_IN_FLIGHT; i++) {
            rpcs.exec(exec);
        }
        StreamTokens.LimitReachedException e = assertThrows(StreamTokens.LimitReachedException.class, () -> rpcs.exec(exec));
        Status status = ErrorStatus.of(e);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
        assertTrue(status.getDescription().contains("1000 streaming URLs are already waiting"), status.getDescription());
    }

    /** A call that may throw anything. */
    private interface Executable {
        void execute() throws Throwable;
    }
}
