package dev.berth.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth-runtime delete [--force] ID}: removes a stopped container (any, with --force). */
@Command(name = "delete", description = "Delete a stopped container and its state.")
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    RuntimeCommand parent;

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it is still created or running; an unknown id is not an error.")
    boolean force;

    @Parameters(index = "0", paramLabel = "ID", description = "The container.")
    String id;

    @Override
    public Integer call() {
        if (!force) {
            parent.runtime().state(id); // as runc: an unknown id is an error unless forced
        }
        parent.runtime().delete(id, force);
        return 0;
    }
}
