package dev.berth.server.streaming;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client built on Netty's client handshaker, reading the channel framing back. */
public final class WebSocketTestClient implements AutoCloseable {

    /** What the server sent: a data message (channel and payload, decoded) or its close. */
    public sealed interface Received {}

    public record Message(int channel, byte[] data) implements Received {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    public record Closed(int code) implements Received {}

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final Channel channel;
    final String subprotocol;
    private final boolean base64;
    private final BlockingQueue<Received> received;

    private WebSocketTestClient(Channel channel, String subprotocol, BlockingQueue<Received> received) {
        this.channel = channel;
        this.subprotocol = subprotocol;
        this.base64 = subprotocol != null && subprotocol.contains("base64");
        this.received = received;
    }

    /** Connects and completes the handshake offering {@code subprotocols} (comma-separated). */
    public static WebSocketTestClient connect(EventLoopGroup group, int port, String path, String subprotocols) throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        CompletableFuture<Void> handshaken = new CompletableFuture<>();
        boolean base64 = subprotocols.contains("base64");
        WebSocketClientProtocolHandler protocol = new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://127.0.0.1:" + port + path))
                .subprotocol(subprotocols)
                .handleCloseFrames(false)
                .maxFramePayloadLength(1 << 20)
                .build());
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), protocol,
                                new Collector(base64, received, handshaken));
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        handshaken.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return new WebSocketTestClient(channel, protocol.handshaker().actualSubprotocol(), received);
    }

    public void send(int channelNumber, byte[] data) {
        if (base64) {
            channel.writeAndFlush(new TextWebSocketFrame((char) ('0' + channelNumber) + Base64.getEncoder().encodeToString(data)));
        } else {
            byte[] frame = new byte[data.length + 1];
            frame[0] = (byte) channelNumber;
            System.arraycopy(data, 0, frame, 1, data.length);
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)));
        }
    }

    public void send(int channelNumber, String text) {
        send(channelNumber, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next thing the server sent. */
    Received next() throws InterruptedException {
        Received next = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("nothing received within " + TIMEOUT);
        }
        return next;
    }

    public Message nextMessage() throws InterruptedException {
        Received next = next();
        if (next instanceof Message message) {
            return message;
        }
        throw new AssertionError("expected a message, got " + next);
    }

    /** Reads until the server closes, collecting each channel's bytes. */
    public Transcript readToClose() throws InterruptedException {
        Transcript transcript = new Transcript();
        for (Received next = next(); ; next = next()) {
            if (next instanceof Closed closed) {
                transcript.closeCode = closed.code();
                return transcript;
            }
            transcript.add((Message) next);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Everything a session sent, by channel. */
    public static final class Transcript {
        final List<Message> messages = new ArrayList<>();
        private final Map<Integer, ByteArrayOutputStream> channels = new HashMap<>();
        int closeCode;

        void add(Message message) {
            messages.add(message);
            channels.computeIfAbsent(message.channel(), c -> new ByteArrayOutputStream()).writeBytes(message.data());
        }

        public String text(int channelNumber) {
            ByteArrayOutputStream bytes = channels.get(channelNumber);
            return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Queues what arrives; answers a close with a close, as client-go does once it has read everything. */
    private static final class Collector extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final boolean base64;
        private final BlockingQueue<Received> received;
        private final CompletableFuture<Void> handshaken;

        Collector(boolean base64, BlockingQueue<Received> received, CompletableFuture<Void> handshaken) {
            this.base64 = base64;
            this.received = received;
            this.handshaken = handshaken;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            byte[] bytes = ByteBufUtil.getBytes(frame.content());
            switch (frame) {
                case CloseWebSocketFrame close -> {
                    received.add(new Closed(close.statusCode()));
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(f -> ctx.close());
                }
                case TextWebSocketFrame text when base64 -> received.add(new Message(bytes[0] - '0',
                        Base64.getDecoder().decode(Arrays.copyOfRange(bytes, 1, bytes.length))));
                default -> received.add(new Message(bytes[0] & 0xff, Arrays.copyOfRange(bytes, 1, bytes.length)));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshaken.complete(null);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshaken.completeExceptionally(cause);
            ctx.close();
        }
    }
}
