package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.api.v1.CgroupDriver;
import dev.berth.cri.api.v1.CreateContainerRequest;
import dev.berth.cri.api.v1.ExecRequest;
import dev.berth.cri.api.v1.ImageServiceGrpc;
import dev.berth.cri.api.v1.ListMetricDescriptorsRequest;
import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.PodSandboxStatusRequest;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.RunPodSandboxRequest;
import dev.berth.cri.api.v1.RuntimeCondition;
import dev.berth.cri.api.v1.RuntimeConfigRequest;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StatusRequest;
import dev.berth.cri.api.v1.StatusResponse;
import dev.berth.cri.api.v1.StopPodSandboxRequest;
import dev.berth.cri.api.v1.StreamImagesRequest;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.cri.api.v1.VersionResponse;
import dev.berth.server.BuildInfo;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.config.BerthConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon over its real unix socket, called with a grpc-java client. */
class DaemonSocketTest {
    @TempDir
    Path dir;

    private BerthConfig config;
    private Daemon daemon;
    private CriChannels client;
    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;

    @BeforeEach
    void start() throws Exception {
        config = TestConfigs.inside(dir, true);
        daemon = Daemon.start(config);
        client = new CriChannels(config.grpc().socket());
        runtime = RuntimeServiceGrpc.newBlockingStub(client.channel());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        daemon.close();
    }

    @Test
    void versionNamesBerthAndCriV1() {
        VersionResponse v = runtime.version(VersionRequest.newBuilder().setVersion("v1").build());
        assertEquals("berth", v.getRuntimeName());
        assertEquals(BuildInfo.version(), v.getRuntimeVersion());
        assertFalse(v.getRuntimeVersion().contains("${"), "version comes from the build");
        assertEquals("v1", v.getRuntimeApiVersion());
    }

    @Test
    void statusReportsRuntimeReadyAndNetworkNotReadyWithoutANetworkConfig() {
        StatusResponse status = runtime.status(StatusRequest.getDefaultInstance());
        Map<String, RuntimeCondition> conditions = status.getStatus().getConditionsList().stream()
                .collect(Collectors.toMap(RuntimeCondition::getType, c -> c));
        assertEquals(2, conditions.size());
        assertTrue(conditions.get("RuntimeReady").getStatus());
        RuntimeCondition network = conditions.get("NetworkReady");
        assertFalse(network.getStatus());
        assertEquals("NoNetworkConfig", network.getReason());
        assertTrue(network.getMessage().contains(TestConfigs.confDir(dir).toString()), network.getMessage());
        assertTrue(status.getInfoMap().isEmpty(), "info only when verbose");
    }

    @Test
    void runtimeReadyTurnsFalseWhenTheStateDirIsGone() throws Exception {
        Path moved = dir.resolve("state-moved");
        Files.move(config.root(), moved);
        RuntimeCondition ready = runtime.status(StatusRequest.getDefaultInstance()).getStatus().getConditions(0);
        assertEquals("RuntimeReady", ready.getType());
        assertFalse(ready.getStatus());
        assertEquals("StateDirUnavailable", ready.getReason());
        assertTrue(ready.getMessage().contains(config.root().toString()), ready.getMessage());
    }

    @Test
    void verboseStatusCarriesJsonInfo() throws Exception {
        StatusResponse status = runtime.status(StatusRequest.newBuilder().setVerbose(true).build());
        ObjectMapper json = new ObjectMapper();
        JsonNode cfg = json.readTree(status.getInfoOrThrow("config"));
        assertEquals(config.grpc().socket().toString(), cfg.path("grpc").path("socket").asText());
        assertEquals(config.root().toString(), cfg.path("root").asText());
        assertEquals(List.of("", "berth"), status.getRuntimeHandlersList().stream().map(h -> h.getName()).toList());
        assertFalse(status.getRuntimeHandlers(0).getFeatures().getUserNamespaces());
        assertTrue(status.getFeatures().getSupplementalGroupsPolicy());
        JsonNode host = json.readTree(status.getInfoOrThrow("host"));
        assertEquals("cgroupfs", host.path("cgroupDriver").asText());
        assertFalse(host.path("cgroupVersion").asText().isEmpty());
        assertTrue(host.path("checkpointAvailable").isBoolean(), host.toString());
        assertTrue(host.path("checkpointAvailable").asBoolean() || !host.path("checkpointReason").asText().isEmpty(),
                "an unavailable checkpoint says why: " + host);
    }

    @Test
    void runtimeConfigReportsTheCgroupDriver() {
        assertEquals(CgroupDriver.CGROUPFS, runtime.runtimeConfig(RuntimeConfigRequest.getDefaultInstance()).getLinux().getCgroupDriver());
    }

    /** Every RPC of runtime.v1 is served: a default request gets an answer or a real error, never UNIMPLEMENTED. */
    @Test
    void noRpcOfEitherServiceAnswersUnimplemented() {
        List<String> unimplemented = new java.util.ArrayList<>();
        for (io.grpc.ServiceDescriptor service : List.of(RuntimeServiceGrpc.getServiceDescriptor(), ImageServiceGrpc.getServiceDescriptor())) {
            for (io.grpc.MethodDescriptor<?, ?> method : service.getMethods()) {
                if (call(method) == Status.Code.UNIMPLEMENTED) {
                    unimplemented.add(method.getFullMethodName());
                }
            }
        }
        assertEquals(List.of(), unimplemented);
    }

    /** Calls with the default request; a stream is read until its end or a 2 s deadline (events never end). */
    @SuppressWarnings("unchecked")
    private <Q, R> Status.Code call(io.grpc.MethodDescriptor<Q, R> method) {
        Q request = (Q) ((io.grpc.MethodDescriptor.PrototypeMarshaller<Q>) method.getRequestMarshaller()).getMessagePrototype();
        io.grpc.CallOptions options = io.grpc.CallOptions.DEFAULT.withDeadlineAfter(2, java.util.concurrent.TimeUnit.SECONDS);
        try {
            if (method.getType() == io.grpc.MethodDescriptor.MethodType.UNARY) {
                io.grpc.stub.ClientCalls.blockingUnaryCall(client.channel(), method, options, request);
            } else {
                io.grpc.stub.ClientCalls.blockingServerStreamingCall(client.channel(), method, options, request).forEachRemaining(r -> { });
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void streamImagesOfAnEmptyStoreIsAStreamWithNoMessage() {
        assertFalse(ImageServiceGrpc.newBlockingStub(client.channel()).streamImages(StreamImagesRequest.getDefaultInstance()).hasNext());
    }

    @Test
    void streamingRpcsAreServedAndTheStreamingServerListens() throws Exception {
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> runtime.exec(ExecRequest.newBuilder().setContainerId("c1").setStdout(true).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().contains("cmd is empty"), bad.getStatus().getDescription());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> runtime.exec(ExecRequest.newBuilder().setContainerId("c1").addCmd("ls").setStdout(true).build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), unknown.getStatus().toString());

        HttpResponse<String> noToken = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.streamingPort() + "/exec/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, noToken.statusCode());
    }

    @Test
    void sandboxRpcsAreServedWithCriErrorCodes() {
        StatusRuntimeException noMetadata = assertThrows(StatusRuntimeException.class,
                () -> runtime.runPodSandbox(RunPodSandboxRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noMetadata.getStatus().getCode());
        assertTrue(noMetadata.getStatus().getDescription().contains("metadata"), noMetadata.getStatus().getDescription());

        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId("feedbeef").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("feedbeef"), unknown.getStatus().getDescription());

        assertEquals(0, runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
        runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId("feedbeef").build());
        runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId("feedbeef").build());
    }

    @Test
    void metricsEndpointCountsCallsByMethodAndCodeAndHasJvmMetrics() throws Exception {
        runtime.version(VersionRequest.getDefaultInstance());
        runtime.version(VersionRequest.getDefaultInstance());
        assertThrows(StatusRuntimeException.class, () -> runtime.createContainer(CreateContainerRequest.getDefaultInstance()));
        String body = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(body.contains("berth_grpc_requests_total{method=\"Version\",code=\"OK\",} 2.0"), body);
        assertTrue(body.contains("berth_grpc_requests_total{method=\"CreateContainer\",code=\"INVALID_ARGUMENT\",} 1.0"), body);
        assertTrue(body.contains("berth_grpc_request_duration_seconds_count{method=\"Version\",} 2.0"), body);
        assertTrue(body.contains("jvm_memory_bytes_used{area=\"heap\",}"), body);
        assertTrue(body.contains("process_resident_memory_bytes"), body);
    }

    @Test
    void socketIsOwnerAndGroupOnlyAndStateDirsArePrivate() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.grpc().socket())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.state())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.root())));
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefused() {
        DaemonStartException e = assertThrows(DaemonStartException.class, () -> Daemon.start(config));
        assertTrue(e.getMessage().contains("another Berth daemon (pid " + ProcessHandle.current().pid() + ")"), e.getMessage());
        // the first daemon still answers
        assertEquals("berth", runtime.version(VersionRequest.getDefaultInstance()).getRuntimeName());
    }

    @Test
    void stopRemovesTheSocketAndPidFile() throws Exception {
        daemon.close();
        assertFalse(Files.exists(config.grpc().socket()));
        assertFalse(Files.exists(config.state().resolve("berth.pid")));
    }
}
