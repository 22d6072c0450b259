package dev.berth.runtime.shim;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The attach/console framing of runtime/src/main/c/frames.h: type byte, 4-byte length, payload. */
final class Frames {
    static final int STDIN = 0;
    static final int STDIN_CLOSE = 1;
    static final int RESIZE = 2;
    static final int STDOUT = 3;
    static final int STDERR = 4;
    static final int MAX = 32768;

    private Frames() {}

    static void write(SocketChannel channel, int type, byte[] payload) throws IOException {
        for (int off = 0; off == 0 || off < payload.length; off += MAX) {
            int len = Math.min(MAX, payload.length - off);
            ByteBuffer frame = ByteBuffer.allocate(5 + len).put((byte) type).putInt(len).put(payload, off, len).flip();
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        }
    }

    static void resize(SocketChannel channel, int columns, int rows) throws IOException {
        write(channel, RESIZE, ByteBuffer.allocate(4).putShort((short) columns).putShort((short) rows).array());
    }

    /** Reads one frame; null at a clean end of stream. */
    static Frame read(SocketChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5);
        if (!fill(channel, head, true)) {
            return null;
        }
        head.flip();
        int type = head.get();
        int len = head.getInt();
        if (len < 0 || len > MAX) {
            throw new IOException("attach frame of " + len + " bytes exceeds " + MAX);
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        fill(channel, payload, false);
        return new Frame(type, payload.array());
    }

    record Frame(int type, byte[] payload) {}

    private static boolean fill(SocketChannel channel, ByteBuffer buf, boolean endAllowed) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                if (endAllowed && buf.position() == 0) {
                    return false;
                }
                throw new EOFException("attach stream ended inside a frame");
            }
        }
        return true;
    }
}
