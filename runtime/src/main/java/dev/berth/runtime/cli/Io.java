package dev.berth.runtime.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** The standard streams a command uses: the process's own in {@code main}, captured ones in tests. */
record Io(InputStream in, PrintStream out, PrintStream err) {
    static Io system() {
        return new Io(System.in, System.out, System.err);
    }
}
