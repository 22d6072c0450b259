package dev.berth.server.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StatusRequest;
import dev.berth.cri.api.v1.StatusResponse;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.cri.api.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.client.CollectorRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RpcInterceptorTest {
    private final CollectorRegistry registry = new CollectorRegistry(true);
    /** A clock that advances 3 ms per reading, so each call lasts exactly 3 ms. */
    private final AtomicLong clock = new AtomicLong();
    private Server server;
    private ManagedChannel channel;

    /** Version answers; Status throws the exception the test puts here. */
    private volatile RuntimeException statusFailure = new IllegalArgumentException("bad filter");

    @BeforeEach
    void start() throws Exception {
        RuntimeServiceGrpc.RuntimeServiceImplBase service = new RuntimeServiceGrpc.RuntimeServiceImplBase() {
            @Override
            public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
                response.onNext(VersionResponse.newBuilder().setRuntimeName("t").build());
                response.onCompleted();
            }

            @Override
            public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
                throw statusFailure;
            }
        };
        RpcInterceptor interceptor = new RpcInterceptor(new RpcMetrics(registry), () -> clock.getAndAdd(3_000_000));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(service, interceptor)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void countsCallsByMethodAndCode() {
        RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = RuntimeServiceGrpc.newBlockingStub(channel);
        stub.version(VersionRequest.getDefaultInstance());
        stub.version(VersionRequest.getDefaultInstance());
        assertThrows(StatusRuntimeException.class, () -> stub.status(StatusRequest.getDefaultInstance()));
        assertEquals(2.0, sample("berth_grpc_requests_total", "Version", "OK"));
        assertEquals(1.0, sample("berth_grpc_requests_total", "Status", "INVALID_ARGUMENT"));
    }

    @Test
    void recordsLatencyFromTheInjectedClock() {
        RuntimeServiceGrpc.newBlockingStub(channel).version(VersionRequest.getDefaultInstance());
        assertEquals(1.0, registry.getSampleValue("berth_grpc_request_duration_seconds_count", new String[] {"method"}, new String[] {"Version"}));
        assertEquals(0.003, registry.getSampleValue("berth_grpc_request_duration_seconds_sum", new String[] {"method"}, new String[] {"Version"}), 1e-9);
        assertEquals(0.0, registry.getSampleValue("berth_grpc_request_duration_seconds_bucket",
                new String[] {"method", "le"}, new String[] {"Version", "0.0025"}));
        assertEquals(1.0, registry.getSampleValue("berth_grpc_request_duration_seconds_bucket",
                new String[] {"method", "le"}, new String[] {"Version", "0.005"}));
    }

    @Test
    void illegalArgumentBecomesInvalidArgumentWithItsMessage() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> RuntimeServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("bad filter", e.getStatus().getDescription());
    }

    @Test
    void statusExceptionsKeepTheirCode() {
        statusFailure = Status.NOT_FOUND.withDescription("sandbox abc not found").asRuntimeException();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> RuntimeServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("sandbox abc not found", e.getStatus().getDescription());
    }

    @Test
    void unexpectedExceptionsBecomeInternalNamingTheError() {
        statusFailure = new NullPointerException("oops");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> RuntimeServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("oops"), e.getStatus().getDescription());
        assertEquals(1.0, sample("berth_grpc_requests_total", "Status", "INTERNAL"));
    }

    private double sample(String name, String method, String code) {
        Double value = registry.getSampleValue(name, new String[] {"method", "code"}, new String[] {method, code});
        return value == null ? 0 : value;
    }
}
