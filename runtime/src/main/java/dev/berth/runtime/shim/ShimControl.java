package dev.berth.runtime.shim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The line protocol of a shim's control socket (monitor.c): one command per line, one reply
 * line: "ok", "error <reason>", "created|running <pid>" or "exited <code> <signal> <ns>".
 */
final class ShimControl {
    /** Replies are short; a longer one is a broken shim. */
    private static final int MAX_REPLY = 4096;

    private ShimControl() {}

    /** Sends a command and returns its reply line, or null when no shim listens (it has exited). */
    static String call(ShimSockets sockets, Path socket, String command) throws IOException {
        SocketChannel channel;
        try {
            channel = sockets.connect(socket);
        } catch (java.net.ConnectException | java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No such file")) {
                return null;
            }
            throw e;
        }
        try (channel) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            return readLine(channel);
        }
    }

    /** Whether a shim accepts connections on this socket (a cheap liveness check; nothing is sent). */
    static boolean listening(ShimSockets sockets, Path socket) {
        try (SocketChannel ignored = sockets.connect(socket)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads one reply line; null at EOF before any byte (the shim exited while we waited). */
    static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REPLY);
        while (buf.hasRemaining()) {
            int n = channel.read(buf);
            if (n < 0) {
                break;
            }
            for (int i = buf.position() - n; i < buf.position(); i++) {
                if (buf.get(i) == '\n') {
                    return new String(buf.array(), 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return buf.position() == 0 ? null : new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
