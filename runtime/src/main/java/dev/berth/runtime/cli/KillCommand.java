package dev.berth.runtime.cli;

import dev.berth.runtime.ContainerStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth-runtime kill [--all] ID [SIGNAL]}: signals the container's init. */
@Command(name = "kill", description = "Send a signal (default TERM) to the container's init process.")
final class KillCommand implements Callable<Integer> {
    @ParentCommand
    RuntimeCommand parent;

    @Option(names = {"-a", "--all"},
            description = "Accepted for runc compatibility; the signal goes to the init only (with a PID namespace, KILL ends every process).")
    boolean all;

    @Parameters(index = "0", paramLabel = "ID", description = "The container.")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL", defaultValue = "TERM",
            description = "A name (TERM, SIGTERM, kill) or number (default: ${DEFAULT-VALUE}).")
    String signal;

    @Override
    public Integer call() {
        int number = Signals.parse(signal);
        if (parent.runtime().state(id).status() == ContainerStatus.STOPPED) {
            throw new IllegalStateException("container " + id + " is not running (stopped); there is nothing to signal");
        }
        parent.runtime().kill(id, number);
        return 0;
    }
}
