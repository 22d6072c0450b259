package dev.berth.runtime.shim;

import dev.berth.runtime.ExitStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Learns when a container exits: a virtual thread sends "wait" to its shim and parks until
 * the reply (or the connection's end). The exit itself is read from the exit file, which the
 * shim writes before it replies, so the daemon and its successors all see the same record.
 */
final class ExitWatcher {
    private ExitWatcher() {}

    static CompletableFuture<ExitStatus> watch(ContainerDir dir, ShimSockets sockets, Clock clock) {
        CompletableFuture<ExitStatus> result = new CompletableFuture<>();
        Thread.ofVirtual().name("berth-exit-" + dir.path().getFileName()).start(() -> {
            try {
                ExitStatus recorded = dir.exit();
                if (recorded == null) {
                    awaitShim(dir, sockets);
                    recorded = dir.exit();
                }
                if (recorded == null) {
                    // The shim died without writing the exit (killed?): record that, once.
                    recorded = new ExitStatus(255, 0, clock.instant(),
                            "berth-shim exited without recording the container's exit status", false);
                    dir.writeExit(recorded);
                }
                result.complete(recorded);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void awaitShim(ContainerDir dir, ShimSockets sockets) throws IOException {
        SocketChannel channel;
        try {
            channel = sockets.connect(dir.socket());
        } catch (IOException gone) {
            return; // no shim: it has exited
        }
        try (channel) {
            channel.write(ByteBuffer.wrap("wait\n".getBytes(StandardCharsets.US_ASCII)));
            ShimControl.readLine(channel);
        } catch (IOException reset) {
            // The shim exited before reading "wait" (the kernel then resets the connection): it is done.
        }
    }
}
