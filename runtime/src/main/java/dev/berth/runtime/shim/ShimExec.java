package dev.berth.runtime.shim;

import dev.berth.runtime.ExecProcess;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** An exec'd process and, for a terminal, the console socket its shim reads resizes from. */
record ShimExec(Process process, Path consoleSocket, ShimSockets sockets) implements ExecProcess {

    @Override
    public void resize(int columns, int rows) throws IOException {
        if (consoleSocket == null) {
            return;
        }
        for (int i = 0; i < 50 && !Files.exists(consoleSocket); i++) {
            try {
                Thread.sleep(10); // the shim listens right after it starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try (SocketChannel channel = sockets.connect(consoleSocket)) {
            Frames.resize(channel, columns, rows);
        }
    }
}
