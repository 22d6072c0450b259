package dev.berth.runtime.shim;

import dev.berth.runtime.ExecProcess;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** An exec'd process and, for a terminal, the console socket its shim reads resizes from. */
record ShimExec(Process process, Path consoleSocket, ShimSockets sockets) implements ExecProcess {

    @Override
    public void resize(int columns, int rows) throws IOException {
        if (consoleSocket == null) {
            return;
        }
        // The shim binds and then listens right after it starts: until then the socket is absent or refuses.
        for (int attempt = 0; ; attempt++) {
            try (SocketChannel channel = sockets.connect(consoleSocket)) {
                Frames.resize(channel, columns, rows);
                // berth-shim answers one byte once the size is set, so stdin written after this
                // call reaches a program that already sees the new size.
                channel.read(java.nio.ByteBuffer.allocate(1));
                return;
            } catch (IOException e) {
                // absent (ENOENT) or bound but not yet listening (ECONNREFUSED): the shim is still starting
                if (attempt >= 100 || !process.isAlive()) {
                    throw e;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
