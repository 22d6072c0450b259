package dev.berth.runtime.cli;

import dev.berth.runtime.ContainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code berth-runtime list [--format table|json] [--quiet]}: the containers under --root, as runc lists them. */
@Command(name = "list", description = "List the containers under --root.")
final class ListCommand implements Callable<Integer> {
    enum Format { table, json }

    private static final String[] HEADER = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};

    @ParentCommand
    RuntimeCommand parent;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-q", "--quiet"}, description = "Print the ids only.")
    boolean quiet;

    @Override
    public Integer call() {
        List<RuncState> states = new ArrayList<>();
        for (ContainerState state : parent.runtime().list()) {
            states.add(RuncState.of(state, owner(state.id())));
        }
        if (quiet) {
            states.forEach(s -> parent.io().out().println(s.id()));
        } else if (format == Format.json) {
            parent.io().out().println(RuncState.toJsonArray(states));
        } else {
            parent.io().out().print(table(states));
        }
        return 0;
    }

    /** As runc, the name of the user owning the container's state directory. */
    private String owner(String id) {
        try {
            return Files.getOwner(parent.root().resolve(id)).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** runc's table: Go's tabwriter with a minimum cell width of 12 and padding 3; the last column unpadded. */
    static String table(List<RuncState> states) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RuncState s : states) {
            rows.add(new String[] {s.id(), Long.toString(s.pid()), s.status(), s.bundle(), s.created(), s.owner()});
        }
        int[] widths = new int[HEADER.length - 1];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], Math.max(12, row[i].length() + 3));
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                text.append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
            }
            text.append(row[widths.length]).append('\n');
        }
        return text.toString();
    }
}
