package dev.berth.server.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * wsstream's multiplexing: each message starts with its channel, a byte (binary protocols) or an ASCII
 * digit followed by base64 (base64 protocols).
 */
final class ChannelFrames {

    /** One message from the client: its channel and payload. */
    record Inbound(int channel, byte[] data) {}

    private final boolean base64;

    ChannelFrames(boolean base64) {
        this.base64 = base64;
    }

    WebSocketFrame encode(int channel, byte[] data, int offset, int length) {
        if (base64) {
            String payload = Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, offset, offset + length));
            return new TextWebSocketFrame((char) ('0' + channel) + payload);
        }
        ByteBuf frame = Unpooled.buffer(length + 1);
        frame.writeByte(channel);
        frame.writeBytes(data, offset, length);
        return new BinaryWebSocketFrame(frame);
    }

    /**
     * The message's channel and payload, or null for an empty message or bad base64 (wsstream skips both).
     * The frame's type is not checked: wsstream reads text and binary messages alike.
     */
    Inbound decode(ByteBuf content) {
        if (!content.isReadable()) {
            return null;
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        if (!base64) {
            return new Inbound(bytes[0] & 0xff, Arrays.copyOfRange(bytes, 1, bytes.length));
        }
        int channel = (bytes[0] - '0') & 0xff;
        try {
            return new Inbound(channel, Base64.getDecoder().decode(new String(bytes, 1, bytes.length - 1, StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
