package dev.berth.server.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Copies one blocking source (a process's stdout or stderr, a pod socket) to a channel on its own virtual thread. */
final class OutboundPump {

    private static final Logger LOG = Logger.getLogger(OutboundPump.class.getName());
    /** io.Copy's buffer, so messages are the size kubelet sends. */
    private static final int CHUNK = 32 * 1024;

    private OutboundPump() {}

    /**
     * Starts copying until the source ends or the connection goes.
     *
     * @param onError told of a read failure (not of the end of the source)
     */
    static Thread start(String name, InputStream source, int channel, FrameWriter writer, Consumer<IOException> onError) {
        return Thread.ofVirtual().name(name).start(() -> copy(name, source, channel, writer, onError));
    }

    /** Copies on the calling thread; returns when the source ends, fails or the connection goes. */
    static void copy(String name, InputStream source, int channel, FrameWriter writer, Consumer<IOException> onError) {
        byte[] buffer = new byte[CHUNK];
        try {
            for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
                if (n > 0 && !writer.send(channel, buffer, 0, n)) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, name + ": " + e.getMessage(), e);
            onError.accept(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
