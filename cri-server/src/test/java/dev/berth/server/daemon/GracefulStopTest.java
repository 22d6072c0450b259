package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.cri.api.v1.VersionResponse;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.observe.RpcInterceptor;
import dev.berth.server.observe.RpcMetrics;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop lets calls in flight finish and refuses new ones. */
class GracefulStopTest {
    @TempDir
    Path dir;

    @Test
    void callInFlightFinishesAfterStopBegins() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RuntimeServiceGrpc.RuntimeServiceImplBase slow = new RuntimeServiceGrpc.RuntimeServiceImplBase() {
            @Override
            public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.onNext(VersionResponse.newBuilder().setRuntimeName("slow").build());
                response.onCompleted();
            }
        };
        Path socket = dir.resolve("s.sock");
        CriServer server = CriServer.start(socket, 1 << 20, List.of(slow),
                new RpcInterceptor(new RpcMetrics(new CollectorRegistry(true)), System::nanoTime));
        try (CriChannels client = new CriChannels(socket)) {
            RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = RuntimeServiceGrpc.newBlockingStub(client.channel());
            CompletableFuture<VersionResponse> inFlight =
                    CompletableFuture.supplyAsync(() -> stub.version(VersionRequest.getDefaultInstance()));
            entered.await(10, TimeUnit.SECONDS);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(10)));
            Thread.sleep(200); // the server is now draining
            try (CriChannels late = new CriChannels(socket)) {
                assertThrows(StatusRuntimeException.class, () -> RuntimeServiceGrpc.newBlockingStub(late.channel())
                        .withDeadlineAfter(2, TimeUnit.SECONDS).version(VersionRequest.getDefaultInstance()));
            }
            release.countDown();
            assertEquals("slow", inFlight.get(10, TimeUnit.SECONDS).getRuntimeName());
            stopping.get(10, TimeUnit.SECONDS);
        }
    }
}
