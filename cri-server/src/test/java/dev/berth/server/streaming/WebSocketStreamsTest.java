package dev.berth.server.streaming;

import static dev.berth.server.streaming.WebSocketTestClient.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.server.streaming.FakeRemoteCommands.FakeProcess;
import dev.berth.server.streaming.WebSocketTestClient.Message;
import dev.berth.server.streaming.WebSocketTestClient.Transcript;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketStreamsTest {

    private static final StreamRequest.Exec CAT = new StreamRequest.Exec("c1", List.of("cat"), false, true, true, true);

    private final FakeRemoteCommands commands = new FakeRemoteCommands();
    private final PortDialer dialer = (sandbox, port) ->
            java.nio.channels.SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    private volatile StreamRequest next;
    private volatile StreamLimits limits = StreamLimits.DEFAULTS;
    private EventLoopGroup group;
    private Channel server;

    @BeforeEach
    void startServer() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast(WebSocketStreams.ROUTER, new Router());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    @AfterEach
    void stopServer() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The streaming server's part: upgrade requests go to WebSocketStreams with the token's request. */
    private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (WebSocketStreams.isUpgrade(request)) {
                WebSocketStreams.serve(ctx, request, next, commands, dialer, limits);
            } else {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private WebSocketTestClient connect(String path, String subprotocols) throws Exception {
        return WebSocketTestClient.connect(group, ((InetSocketAddress) server.localAddress()).getPort(), path, subprotocols);
    }

    @Test
    void v4ExecSendsOutputThenSuccessStatusAndCloses() throws Exception {
        next = new StreamRequest.Exec("c1", List.of("sh", "-c", "echo"), false, false, true, true);
        try (WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io")) {
            assertEquals("v4.channel.k8s.io", client.subprotocol);
            FakeProcess process = commands.next(TIMEOUT);
            write(process.stdoutWriter(), "out");
            write(process.stderrWriter(), "err");
            process.exit(0);

            Transcript transcript = client.readToClose();
            Message first = transcript.messages.getFirst();
            assertEquals(RemoteCommandSession.STDOUT, first.channel(), "kubelet's connection-ready message is an empty stdout one");
            assertEquals(0, first.data().length);
            assertEquals("out", transcript.text(RemoteCommandSession.STDOUT));
            assertEquals("err", transcript.text(RemoteCommandSession.STDERR));
            assertEquals("{\"metadata\":{},\"status\":\"Success\"}", transcript.text(RemoteCommandSession.ERROR));
            assertEquals(1000, transcript.closeCode);
            assertTrue(process.closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void v4ExecReportsNonZeroExitCodeAsKubeletDoes() throws Exception {
        next = new StreamRequest.Exec("c1", List.of("sh", "-c", "exit 3"), false, false, true, true);
        try (WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io")) {
            commands.next(TIMEOUT).exit(3);

            Transcript transcript = client.readToClose();
            assertEquals("{\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3\","
                    + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}",
                    transcript.text(RemoteCommandSession.ERROR));
            assertEquals(1000, transcript.closeCode);
        }
    }

    @Test
    void execThatCannotStartReportsAnInternalError() throws Exception {
        next = CAT;
        commands.failWith(new IOException("container c1 is not running"));
        try (WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io")) {
            Transcript transcript = client.readToClose();
            assertEquals("{\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"Internal error occurred: error executing command in container: container c1 is not running\","
                    + "\"reason\":\"InternalError\","
                    + "\"details\":{\"causes\":[{\"message\":\"error executing command in container: container c1 is not running\"}]},"
                    + "\"code\":500}",
                    transcript.text(RemoteCommandSession.ERROR));
        }
    }

    @Test
    void v5CloseSignalClosesTheProcessStdin() throws Exception {
        next = CAT;
        try (WebSocketTestClient client = connect("/exec/token", "v5.channel.k8s.io,v4.channel.k8s.io")) {
            assertEquals("v5.channel.k8s.io", client.subprotocol, "the client's first choice wins");
            FakeProcess process = commands.next(TIMEOUT);
            client.send(RemoteCommandSession.STDIN, "hi");
            client.send(RemoteCommandSession.CLOSE, new byte[] {RemoteCommandSession.STDIN});

            assertEquals("hi", new String(process.stdinReader().readAllBytes(), StandardCharsets.UTF_8), "stdin ends after the data");
            assertTrue(process.stdinClosed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            process.exit(0);
            assertEquals("{\"metadata\":{},\"status\":\"Success\"}", client.readToClose().text(RemoteCommandSession.ERROR));
        }
    }

    @Test
    void base64ProtocolSendsDigitsAndBase64AndOnlyAFailureMessage() throws Exception {
        next = CAT;
        try (WebSocketTestClient client = connect("/exec/token", "base64.channel.k8s.io")) {
            FakeProcess process = commands.next(TIMEOUT);
            client.send(RemoteCommandSession.STDIN, "in");
            assertArrayEquals("in".getBytes(StandardCharsets.UTF_8), process.stdinReader().readNBytes(2));
            write(process.stdoutWriter(), "out");
            process.exit(3);

            Transcript transcript = client.readToClose();
            assertEquals("out", transcript.text(RemoteCommandSession.STDOUT));
            assertEquals("command terminated with non-zero exit code: error executing command [cat], exit code 3",
                    transcript.text(RemoteCommandSession.ERROR), "before v4 the error channel carries the message, not a Status");
        }
    }

    @Test
    void base64FramesAreTextWithAChannelDigit() throws Exception {
        next = CAT;
        try (RawWebSocket raw = RawWebSocket.open(server, "/exec/token", "v4.base64.channel.k8s.io")) {
            assertTrue(raw.response().startsWith("HTTP/1.1 101"), raw.response());
            FakeProcess process = commands.next(TIMEOUT);
            assertEquals(new RawFrame(0x1, "1"), raw.readFrame(), "the connection-ready message");
            write(process.stdoutWriter(), "out");
            assertEquals(new RawFrame(0x1, "1b3V0"), raw.readFrame());
        }
    }

    @Test
    void clientOfferingNoSubprotocolGetsChannelK8sIoFraming() throws Exception {
        next = CAT;
        try (RawWebSocket raw = RawWebSocket.open(server, "/exec/token", null)) {
            assertTrue(raw.response().startsWith("HTTP/1.1 101"), raw.response());
            assertFalse(raw.response().toLowerCase().contains("sec-websocket-protocol"), raw.response());
            commands.next(TIMEOUT);
            assertEquals(new RawFrame(0x2, "\u0001"), raw.readFrame(), "a binary message on stdout, empty after its channel byte");
        }
    }

    @Test
    void attachReportsSuccessWhateverTheContainerExitCode() throws Exception {
        next = new StreamRequest.Attach("c1", false, false, true, false);
        try (WebSocketTestClient client = connect("/attach/token", "v4.channel.k8s.io")) {
            commands.next(TIMEOUT).exit(137);
            assertEquals("{\"metadata\":{},\"status\":\"Success\"}", client.readToClose().text(RemoteCommandSession.ERROR));
        }
    }

    @Test
    void resizeMessagesReachTheProcessEvenWhenSplit() throws Exception {
        next = new StreamRequest.Exec("c1", List.of("sh"), true, true, true, false);
        try (WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io")) {
            FakeProcess process = commands.next(TIMEOUT);
            client.send(RemoteCommandSession.RESIZE, "{\"Width\":80,");
            client.send(RemoteCommandSession.RESIZE, "\"Height\":24}\n{\"width\":100,\"height\":30}\n");

            assertEquals(List.of(80, 24), process.resizes.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(List.of(100, 30), process.resizes.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            process.exit(0);
            client.readToClose();
        }
    }

    @Test
    void unsupportedSubprotocolIsRefusedWith400() throws Exception {
        next = CAT;
        try (RawWebSocket raw = RawWebSocket.open(server, "/exec/token", "SPDY/3.1")) {
            String response = raw.response();
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request"), response);
            assertTrue(response.contains("requested protocol(s) are not supported: [SPDY/3.1]; supports [v5.channel.k8s.io v4.channel.k8s.io"),
                    response);
        }
        assertTrue(commands.noneStarted());
    }

    @Test
    void portForwardEchoesOnTwoPorts() throws Exception {
        try (EchoServer first = new EchoServer(); EchoServer second = new EchoServer()) {
            next = new StreamRequest.PortForward("sandbox-echo", List.of());
            WebSocketTestClient client = connect("/portforward/token?port=" + first.port() + "&port=" + second.port(), "v4.channel.k8s.io");
            assertPortMessage(client.nextMessage(), 0, first.port());
            assertPortMessage(client.nextMessage(), 1, first.port());
            assertPortMessage(client.nextMessage(), 2, second.port());
            assertPortMessage(client.nextMessage(), 3, second.port());

            client.send(0, "ping");
            assertEquals("ping", readChannel(client, 0, 4));
            client.send(2, "pong");
            assertEquals("pong", readChannel(client, 2, 4));

            client.close();
            assertTrue(first.connectionEnded.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the pod connection closes with the client");
            assertTrue(second.connectionEnded.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            LiveThreads.awaitNone("berth-ws portforward sandbox-echo", TIMEOUT);
        }
    }

    @Test
    void portForwardReportsADialFailureOnTheErrorChannel() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        next = new StreamRequest.PortForward("sandbox-1", List.of(closedPort));
        try (WebSocketTestClient client = connect("/portforward/token", "v4.channel.k8s.io")) {
            assertPortMessage(client.nextMessage(), 0, closedPort);
            assertPortMessage(client.nextMessage(), 1, closedPort);
            Message error = client.nextMessage();
            assertEquals(1, error.channel());
            assertTrue(error.text().startsWith("error forwarding port " + closedPort + " to pod sandbox-1, uid : "), error.text());
            assertEquals(new WebSocketTestClient.Closed(1000), client.next(), "the session ends with its only port");
        }
    }

    @Test
    void closingTheClientClosesTheProcessAndEndsTheSessionThreads() throws Exception {
        next = new StreamRequest.Exec("c-gone", List.of("cat"), false, true, true, true);
        WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io");
        FakeProcess process = commands.next(TIMEOUT);
        client.send(RemoteCommandSession.STDIN, "partial input");
        assertTrue(LiveThreads.any("berth-ws exec c-gone stdout"), "the dump lists the session's virtual threads");
        client.close();
        assertTrue(process.closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        LiveThreads.awaitNone("berth-ws exec c-gone", TIMEOUT);
    }

    @Test
    void idleSessionIsClosed() throws Exception {
        limits = new StreamLimits(Duration.ofMillis(300), Duration.ofSeconds(30), 64 * 1024);
        next = CAT;
        try (WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io")) {
            FakeProcess process = commands.next(TIMEOUT);
            assertEquals(1000, client.readToClose().closeCode, "idle: closed without any traffic");
            assertTrue(process.closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void slowClientPausesTheProcessOutput() throws Exception {
        long total = 64L * 1024 * 1024;
        next = new StreamRequest.Exec("c1", List.of("yes"), false, false, true, false);
        try (WebSocketTestClient client = connect("/exec/token", "v4.channel.k8s.io")) {
            client.channel.config().setAutoRead(false);
            FakeProcess process = commands.next(TIMEOUT);
            AtomicLong written = new AtomicLong();
            Thread producer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = process.stdoutWriter()) {
                    while (written.get() < total) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long stalledAt = awaitStall(written);
            assertTrue(stalledAt < total, "the process was held back at " + stalledAt + " bytes");

            client.channel.config().setAutoRead(true);
            long received = 0;
            while (received < total) {
                Message message = client.nextMessage();
                received += message.channel() == RemoteCommandSession.STDOUT ? message.data().length : 0;
            }
            producer.join();
            process.exit(0);
            assertEquals("{\"metadata\":{},\"status\":\"Success\"}", client.readToClose().text(RemoteCommandSession.ERROR));
        }
    }

    /** Waits until the counter stops moving and returns where it stopped. */
    private static long awaitStall(AtomicLong counter) throws InterruptedException {
        long last = -1;
        while (counter.get() != last) {
            last = counter.get();
            Thread.sleep(500);
        }
        return last;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void assertPortMessage(Message message, int channel, int port) {
        assertEquals(channel, message.channel());
        assertArrayEquals(new byte[] {(byte) port, (byte) (port >>> 8)}, message.data(), "the port, little-endian");
    }

    private static String readChannel(WebSocketTestClient client, int channel, int length) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (bytes.size() < length) {
            Message message = client.nextMessage();
            if (message.channel() == channel) {
                bytes.writeBytes(message.data());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A frame as it came over the wire: opcode and payload (one char per byte). */
    private record RawFrame(int opcode, String payload) {}

    /** A handshake written by hand, to see the server's exact response and frames. */
    private record RawWebSocket(Socket socket, InputStream in, String response) implements AutoCloseable {

        static RawWebSocket open(Channel server, String path, String subprotocol) throws IOException {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new RawWebSocket(socket, in, readResponse(in));
        }

        /** Headers, plus the body when the response has a Content-Length. */
        private static String readResponse(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String headers = head.toString(StandardCharsets.US_ASCII);
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    int length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
                }
            }
            return headers;
        }

        /** One unmasked, unfragmented server frame of under 126 bytes. */
        RawFrame readFrame() throws IOException {
            int opcode = in.read() & 0x0f;
            int length = in.read() & 0x7f;
            return new RawFrame(opcode, new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
