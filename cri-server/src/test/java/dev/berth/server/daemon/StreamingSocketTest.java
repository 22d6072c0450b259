package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.AttachRequest;
import dev.berth.cri.api.v1.ExecRequest;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PortForwardRequest;
import dev.berth.server.streaming.SpdyTestClient;
import dev.berth.server.streaming.WebSocketTestClient;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl exec, attach and port-forward end to end: the CRI RPC hands out a URL, a SPDY or
 * WebSocket client speaks Kubernetes' protocols to Berth's streaming server, and the bytes reach
 * a real container (exec through berth-shim, attach through its socket, port-forward into the
 * pod's network namespace).
 */
@Tag("root")
class StreamingSocketTest {
    @RegisterExtension
    static final BusyboxRegistry IMAGES = new BusyboxRegistry("\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]");

    private static final String V4 = "v4.channel.k8s.io";
    private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";


    @TempDir
    Path dir;
    private PodFixture pods;
    private String busybox;
    private PodSandboxConfig pod;
    private String podId;

    @BeforeEach
    void start() throws Exception {
        pods = IMAGES.startPods(dir);
        busybox = IMAGES.busybox();
        pod = pods.pod("stream");
        podId = pods.runPod(pod);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pods != null) {
            pods.close();
        }
    }

    private static String path(String url) {
        return URI.create(url).getRawPath();
    }

    private int port(String url) {
        return URI.create(url).getPort();
    }

    @Test
    void execOverSpdyCarriesStdinStdoutAndTheExitStatus() throws Exception {
        String id = pods.createAndStart(podId, pod, pods.container("c", busybox, "sleep", "1000"));
        String url = pods.runtime.exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(List.of("sh", "-c", "read l; echo got-$l; exit 3"))
                .setStdin(true).setStdout(true).build()).getUrl();
        try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            stdin.send("hello\n");
            stdin.finish();
            assertEquals("got-hello\n", stdout.awaitFin());
            String status = error.awaitFin();
            assertTrue(status.contains("\"reason\":\"NonZeroExitCode\"") && status.contains("\"message\":\"3\""), status);
        }
    }

    @Test
    void execOverWebSocketV4EndsWithASuccessStatus() throws Exception {
        String id = pods.createAndStart(podId, pod, pods.container("c", busybox, "sleep", "1000"));
        String url = pods.runtime.exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(List.of("sh", "-c", "echo out; echo err >&2"))
                .setStdout(true).setStderr(true).build()).getUrl();
        var group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (WebSocketTestClient client = WebSocketTestClient.connect(group, port(url), path(url), V4)) {
            WebSocketTestClient.Transcript transcript = client.readToClose();
            assertEquals("out\n", transcript.text(1));
            assertEquals("err\n", transcript.text(2));
            assertEquals(SUCCESS, transcript.text(3));
        } finally {
            group.shutdownGracefully().syncUninterruptibly();
        }
    }

    @Test
    void attachReachesTheContainersOwnStdio() throws Exception {
        String id = pods.createAndStart(podId, pod, pods.container("echo", busybox, "sh", "-c", "read l; echo got-$l")
                .toBuilder().setStdin(true).setStdinOnce(true).build());
        String url = pods.runtime.attach(AttachRequest.newBuilder().setContainerId(id).setStdin(true).setStdout(true).build()).getUrl();
        try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            stdin.send("x\n");
            stdout.awaitText("got-x\n");
            assertEquals(SUCCESS, error.awaitFin());
        }
    }

    @Test
    void portForwardReachesAPortInsideThePodsNetworkNamespace() throws Exception {
        pods.createAndStart(podId, pod, pods.container("echo", busybox, "nc", "-ll", "-p", "8080", "-e", "cat"));
        String url = pods.runtime.portForward(PortForwardRequest.newBuilder().setPodSandboxId(podId).addPort(8080).build()).getUrl();
        Thread.sleep(300); // nc listening
        try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), "portforward.k8s.io")) {
            client.open("streamtype", "error", "port", "8080", "requestid", "0");
            SpdyTestClient.Stream data = client.open("streamtype", "data", "port", "8080", "requestid", "0");
            data.awaitReply();
            data.send("ping\n");
            data.awaitText("ping\n");
        }
    }

    @Test
    void execWithATerminalSeesItsSizeAndResizes() throws Exception {
        String id = pods.createAndStart(podId, pod, pods.container("c", busybox, "sleep", "1000"));
        String url = pods.runtime.exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(List.of("sh", "-c", "read l; stty size"))
                .setTty(true).setStdin(true).setStdout(true).build()).getUrl();
        try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            SpdyTestClient.Stream resize = client.openReplied("resize");
            resize.send("{\"Width\":123,\"Height\":45}");
            Thread.sleep(200);
            stdin.send("go\n");
            assertEquals(SUCCESS, error.awaitFin());
            assertTrue(stdout.text().contains("45 123"), "stty inside sees the size: " + stdout.text());
        }
    }

    @Test
    void aHundredMegabytesOfOutputArriveByteForByte() throws Exception {
        String id = pods.createAndStart(podId, pod, pods.container("c", busybox, "sleep", "1000"));
        long size = 100L << 20;
        String url = pods.runtime.exec(ExecRequest.newBuilder().setContainerId(id)
                .addAllCmd(List.of("sh", "-c", "yes 0123456789abcdef | head -c " + size)).setStdout(true).build()).getUrl();
        try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            stdout.countOnly();
            assertEquals(size, stdout.awaitCount(size, 120_000));
            assertEquals(SUCCESS, error.awaitFin());
            assertEquals(crcOfYes("0123456789abcdef\n", size), stdout.crc());
        }
    }

    private static long crcOfYes(String line, long size) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] chunk = line.repeat(4096).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (long left = size; left > 0; left -= chunk.length) {
            crc.update(chunk, 0, (int) Math.min(chunk.length, left));
        }
        return crc.getValue();
    }

    @Test
    void tenParallelPortForwardsCarryFiftyMegabytesEachWay() throws Exception {
        pods.createAndStart(podId, pod, pods.container("echo", busybox, "nc", "-ll", "-p", "8080", "-e", "cat"));
        String url = pods.runtime.portForward(PortForwardRequest.newBuilder().setPodSandboxId(podId).addPort(8080).build()).getUrl();
        Thread.sleep(300);
        long size = 50L << 20;
        byte[] chunk = new byte[32 * 1024];
        new java.util.Random(7).nextBytes(chunk);
        java.util.zip.CRC32 expected = new java.util.zip.CRC32();
        for (long sent = 0; sent < size; sent += chunk.length) {
            expected.update(chunk);
        }
        try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), "portforward.k8s.io")) {
            List<SpdyTestClient.Stream> streams = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                client.open("streamtype", "error", "port", "8080", "requestid", Integer.toString(i));
                SpdyTestClient.Stream data = client.open("streamtype", "data", "port", "8080", "requestid", Integer.toString(i));
                data.countOnly();
                streams.add(data);
            }
            try (var senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (SpdyTestClient.Stream data : streams) {
                    senders.submit(() -> {
                        data.awaitReply();
                        for (long sent = 0; sent < size; sent += chunk.length) {
                            data.send(chunk);
                        }
                        return null;
                    });
                }
            }
            for (SpdyTestClient.Stream data : streams) {
                assertEquals(size, data.awaitCount(size, 180_000), "echoed back in full");
                assertEquals(expected.getValue(), data.crc(), "the same bytes");
            }
        }
    }

    @Test
    void aHundredConcurrentExecsAndAbruptDisconnectsLeakNoThreadOrFd() throws Exception {
        String id = pods.createAndStart(podId, pod, pods.container("c", busybox, "sleep", "1000"));
        Thread.sleep(500);
        int threadsBefore = Thread.activeCount();
        long fdsBefore = openFds();
        try (var clients = java.util.concurrent.Executors.newFixedThreadPool(100)) {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                results.add(clients.submit(() -> {
                    String url = pods.runtime.exec(ExecRequest.newBuilder().setContainerId(id)
                            .addAllCmd(List.of("sh", "-c", n % 10 == 0 ? "sleep 1000" : "echo exec-" + n)).setStdout(true).build()).getUrl();
                    try (SpdyTestClient client = SpdyTestClient.upgrade(port(url), path(url), V4)) {
                        SpdyTestClient.Stream error = client.openReplied("error");
                        SpdyTestClient.Stream stdout = client.openReplied("stdout");
                        if (n % 10 == 0) {
                            Thread.sleep(300);
                            return "dropped"; // an abrupt disconnect: the client goes away mid-command
                        }
                        String out = stdout.awaitFin();
                        error.awaitFin();
                        return out;
                    }
                }));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(i % 10 == 0 ? "dropped" : "exec-" + i + "\n", results.get(i).get());
            }
        }
        for (int i = 0; i < 100 && (pods.sh(id, "ps -o args | grep -c 'sleep 1000' || true").equals("1") == false); i++) {
            Thread.sleep(100);
        }
        assertEquals("1", pods.sh(id, "ps -o args | grep -v grep | grep -c 'sleep 1000' || true"),
                "only the container's own sleep is left: the dropped execs were killed");
        for (int i = 0; i < 100 && (Thread.activeCount() > threadsBefore + 2 || openFds() > fdsBefore + 8); i++) {
            Thread.sleep(100);
        }
        assertTrue(Thread.activeCount() <= threadsBefore + 2, "threads " + threadsBefore + " -> " + Thread.activeCount());
        assertTrue(openFds() <= fdsBefore + 8, "fds " + fdsBefore + " -> " + openFds());
    }

    private static long openFds() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
