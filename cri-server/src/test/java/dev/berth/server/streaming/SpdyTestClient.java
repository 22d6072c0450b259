package dev.berth.server.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A SPDY/3.1 client as kubectl's spdystream behaves: HTTP upgrade, then streams it opens, no flow
 * control. Netty's frame codec (in two embedded channels, one per direction) does the framing;
 * a platform thread reads the socket. Everything waits at most {@link #WAIT_MILLIS}.
 */
public final class SpdyTestClient implements AutoCloseable {
    static final long WAIT_MILLIS = 10_000;

    /** An HTTP answer: status, headers (names lower-cased), body. */
    record HttpAnswer(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }
    }

    final HttpAnswer answer;
    private final Socket socket;
    private final OutputStream out;
    private final EmbeddedChannel encoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final EmbeddedChannel decoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private int nextId = 1;
    private volatile boolean goAway;
    private volatile boolean ended;
    private volatile boolean paused;

    private SpdyTestClient(Socket socket, HttpAnswer answer) throws IOException {
        this.socket = socket;
        this.answer = answer;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "spdy-test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one HTTP request on a new loopback connection; for an upgrade, see {@link #upgrade}. */
    static HttpAnswer request(int port, String method, String path, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return request(socket, method, path, headers);
        }
    }

    static HttpAnswer request(Socket socket, String method, String path, Map<String, String> headers) throws IOException {
        socket.setSoTimeout((int) WAIT_MILLIS);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String[] lines = readHead(in).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> answerHeaders = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            answerHeaders.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        String body = "";
        if (status != 101 && answerHeaders.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(answerHeaders.get("content-length").getFirst())), StandardCharsets.UTF_8);
        }
        socket.setSoTimeout(0);
        return new HttpAnswer(status, answerHeaders, body);
    }

    /** Upgrades {@code path} to SPDY/3.1 offering {@code protocols} (one header line each, as client-go does). */
    public static SpdyTestClient upgrade(int port, String path, String... protocols) throws IOException {
        return upgrade(new Socket(InetAddress.getLoopbackAddress(), port), path, protocols);
    }

    static SpdyTestClient upgrade(Socket socket, String path, String... protocols) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Connection", "Upgrade");
        headers.put("Upgrade", "SPDY/3.1");
        headers.put("X-Stream-Protocol-Version", String.join(", ", protocols));
        HttpAnswer answer = request(socket, "POST", path, headers);
        if (answer.status() != 101) {
            socket.close();
            throw new AssertionError("upgrade refused: " + answer);
        }
        return new SpdyTestClient(socket, answer);
    }

    /** Opens a stream with {@code headers} given as name, value, name, value... */
    public synchronized Stream open(String... headers) throws IOException {
        int id = nextId;
        nextId += 2;
        Stream stream = new Stream(id);
        streams.put(id, stream);
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        for (int i = 0; i < headers.length; i += 2) {
            syn.headers().set(headers[i], headers[i + 1]);
        }
        write(syn);
        return stream;
    }

    /** Opens a remote-command stream of {@code type} and waits for its reply. */
    public Stream openReplied(String type) throws IOException {
        Stream stream = open("streamtype", type);
        stream.awaitReply();
        return stream;
    }

    /** Stops (or resumes) reading the socket: a client that does not keep up. */
    void pauseReading(boolean pause) {
        paused = pause;
    }

    boolean goAwayReceived() {
        return goAway;
    }

    /** Waits for the server to close the connection. */
    void awaitEnd() {
        await(() -> ended, "the server to close the connection");
    }

    boolean ended() {
        return ended;
    }

    private synchronized void write(Object frame) throws IOException {
        encoder.writeOutbound(frame);
        for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.readBytes(copy);
            bytes.release();
            out.write(copy);
        }
        out.flush();
    }

    private void readLoop() {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                while (paused) {
                    Thread.sleep(10);
                }
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
                for (Object frame; (frame = decoder.readInbound()) != null; ) {
                    dispatch(frame);
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed
        } finally {
            ended = true;
            streams.values().forEach(Stream::wake);
        }
    }

    private void dispatch(Object frame) {
        try {
            switch (frame) {
                case SpdySynReplyFrame reply -> stream(reply.streamId()).replied(reply.headers().names().size());
                case SpdyDataFrame data -> {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    stream(data.streamId()).received(bytes, data.isLast());
                }
                case SpdyRstStreamFrame rst -> stream(rst.streamId()).wasReset(rst.status());
                case SpdyGoAwayFrame away -> goAway = true;
                default -> { }
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private Stream stream(int id) {
        Stream stream = streams.get(id);
        if (stream == null) {
            throw new AssertionError("frame for stream " + id + " the client never opened");
        }
        return stream;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        encoder.finishAndReleaseAll();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** One client stream: what arrived on it and how it ended. */
    public final class Stream {
        final int id;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private boolean replied;
        private int replyHeaderCount;
        private boolean fin;
        private SpdyStreamStatus reset;
        private boolean countOnly;
        private long count;
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();

        Stream(int id) {
            this.id = id;
        }

        /** Keeps only the count and CRC-32 of what arrives (for large transfers). */
        public synchronized void countOnly() {
            countOnly = true;
        }

        public synchronized long count() {
            return count;
        }

        public synchronized long crc() {
            return crc.getValue();
        }

        /** Waits until {@code bytes} have arrived (or FIN, a reset, the end) and returns how many did. */
        public long awaitCount(long bytes, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            synchronized (this) {
                while (count < bytes && !fin && reset == null && !ended) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(Math.min(left, 100));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                return count;
            }
        }

        public void send(byte[] bytes) throws IOException {
            write(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(bytes)));
        }

        synchronized void replied(int headerCount) {
            replied = true;
            replyHeaderCount = headerCount;
            notifyAll();
        }

        synchronized void received(byte[] bytes, boolean last) {
            count += bytes.length;
            crc.update(bytes);
            if (!countOnly) {
                data.writeBytes(bytes);
            }
            fin |= last;
            notifyAll();
        }

        synchronized void wasReset(SpdyStreamStatus status) {
            reset = status;
            notifyAll();
        }

        synchronized void wake() {
            notifyAll();
        }

        synchronized int replyHeaderCount() {
            return replyHeaderCount;
        }

        synchronized SpdyStreamStatus reset() {
            return reset;
        }

        public synchronized String text() {
            return data.toString(StandardCharsets.UTF_8);
        }

        synchronized boolean finished() {
            return fin;
        }

        public void awaitFinWithin(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            synchronized (this) {
                while (!fin && reset == null && !ended && System.currentTimeMillis() < deadline) {
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        public void awaitReply() {
            awaitState(() -> replied || reset != null, "a reply on stream " + id);
            if (reset != null) {
                throw new AssertionError("stream " + id + " refused: " + reset);
            }
        }

        /** Waits for FIN (or a reset, or the connection's end) and returns all that arrived. */
        public String awaitFin() {
            awaitState(() -> fin || reset != null || ended, "FIN on stream " + id);
            if (!fin) {
                throw new AssertionError("stream " + id + " ended without FIN (reset " + reset + ", connection ended " + ended
                        + ") after " + text());
            }
            return text();
        }

        public void awaitText(String expected) {
            awaitState(() -> data.toString(StandardCharsets.UTF_8).equals(expected), "\"" + expected + "\" on stream " + id);
        }

        void awaitReset() {
            awaitState(() -> reset != null, "a reset of stream " + id);
        }

        public void send(String text) throws IOException {
            write(new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        }

        public void finish() throws IOException {
            DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
            fin.setLast(true);
            write(fin);
        }

        void sendReset() throws IOException {
            write(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
        }

        private synchronized void awaitState(BooleanSupplier condition, String what) {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (!condition.getAsBoolean()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; got \"" + text() + "\"");
                }
                try {
                    wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the HTTP answer ended: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.length() - 4);
    }
}
