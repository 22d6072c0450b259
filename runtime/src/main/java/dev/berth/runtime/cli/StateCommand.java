package dev.berth.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth-runtime state ID}: the container's state as runc prints it. */
@Command(name = "state", description = "Print the state of a container as JSON, as runc state does.")
final class StateCommand implements Callable<Integer> {
    @ParentCommand
    RuntimeCommand parent;

    @Parameters(index = "0", paramLabel = "ID", description = "The container.")
    String id;

    @Override
    public Integer call() {
        parent.io().out().println(RuncState.of(parent.runtime().state(id), "").toIndentedJson());
        return 0;
    }
}
