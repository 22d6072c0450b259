package dev.berth.runtime.shim;

import dev.berth.runtime.AttachSession;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** {@link AttachSession} over a shim's attach.sock. */
final class ShimAttach implements AttachSession {
    private final SocketChannel channel;

    private ShimAttach(SocketChannel channel) {
        this.channel = channel;
    }

    static ShimAttach connect(ShimSockets sockets, Path socket) throws IOException {
        return new ShimAttach(sockets.connect(socket));
    }

    @Override
    public Output read() throws IOException {
        Frames.Frame frame = Frames.read(channel);
        return frame == null ? null : new Output(frame.type() == Frames.STDERR, frame.payload());
    }

    @Override
    public synchronized void writeStdin(byte[] data) throws IOException {
        Frames.write(channel, Frames.STDIN, data);
    }

    @Override
    public synchronized void closeStdin() throws IOException {
        Frames.write(channel, Frames.STDIN_CLOSE, new byte[0]);
    }

    @Override
    public synchronized void resize(int columns, int rows) throws IOException {
        Frames.resize(channel, columns, rows);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
