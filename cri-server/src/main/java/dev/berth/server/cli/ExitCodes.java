package dev.berth.server.cli;

/** Process exit codes of the berth command. */
final class ExitCodes {
    /** The daemon could not start (socket taken, directory not writable...). */
    static final int START_FAILED = 1;
    /** The config file or a flag is wrong. */
    static final int CONFIG = 2;
    /** A client command could not reach the daemon. */
    static final int UNREACHABLE = 3;

    private ExitCodes() {}
}
