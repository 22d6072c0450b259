package dev.berth.server.streaming;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A running exec or attach session as the streaming protocols drive it: they copy the client's
 * stdin in, stdout and stderr out, pass resizes, and report the exit. Streams not asked for
 * (or stderr with a terminal) are null. {@link #close()} ends the session: an exec's process
 * is killed, an attach detaches (the container runs on).
 */
public interface RemoteProcess extends Closeable {

    /** Where the client's stdin goes, or null when the request had no stdin. */
    OutputStream stdin();

    /** Ends stdin (the client closed its stdin stream). */
    void closeStdin() throws IOException;

    /** The process's stdout (the terminal's output with a tty), or null. */
    InputStream stdout();

    /** The process's stderr, or null (always null with a tty). */
    InputStream stderr();

    /** A terminal resize from the client; ignored without a tty. */
    void resize(int width, int height) throws IOException;

    /**
     * Waits for the end and returns the exit code: the exec'd program's, or for an attach the
     * container's (-1 when it is not known, e.g. the client detached first).
     */
    int waitFor() throws InterruptedException;
}
