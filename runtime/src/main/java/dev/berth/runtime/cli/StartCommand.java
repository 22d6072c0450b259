package dev.berth.runtime.cli;

import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth-runtime start ID}: runs the user program of a created container. */
@Command(name = "start", description = "Run the user program of a created container.")
final class StartCommand implements Callable<Integer> {
    @ParentCommand
    RuntimeCommand parent;

    @Parameters(index = "0", paramLabel = "ID", description = "The container.")
    String id;

    @Override
    public Integer call() {
        ContainerState state = parent.runtime().state(id);
        if (state.status() != ContainerStatus.CREATED) {
            throw new IllegalStateException("container " + id + " is " + state.status().name().toLowerCase(Locale.ROOT)
                    + "; only a created container can be started");
        }
        parent.runtime().start(id);
        return 0;
    }
}
