package dev.berth.runtime;

import java.io.IOException;

/**
 * A process running inside a container, started by {@link ContainerRuntime#exec}. With a
 * terminal, stdout carries the terminal's output (stderr is empty) and {@link #resize} works.
 */
public interface ExecProcess {

    Process process();

    /** Resizes the exec's terminal; a no-op without one. */
    void resize(int columns, int rows) throws IOException;
}
