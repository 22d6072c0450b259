package dev.berth.runtime;

import java.io.Closeable;
import java.io.IOException;

/**
 * A connection to a running container's stdio through its shim: output as it is written,
 * stdin (when the container was created with stdin), terminal resizes. Closing it detaches;
 * the container runs on.
 */
public interface AttachSession extends Closeable {

    /** One chunk of output. */
    record Output(boolean stderr, byte[] data) {}

    /** The next chunk of output, or null once the container has exited (or the shim dropped a slow reader). */
    Output read() throws IOException;

    void writeStdin(byte[] data) throws IOException;

    void closeStdin() throws IOException;

    void resize(int columns, int rows) throws IOException;
}
