package dev.berth.runtime.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of berth-runtime with captured stdio. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Path root, String... args) {
        return runWithInput(root, "", args);
    }

    static CliRun runWithInput(Path root, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> line = new ArrayList<>(List.of("--root", root.toString()));
        line.addAll(List.of(args));
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e);
            code = RuntimeCommand.run(io, line.toArray(String[]::new));
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ", stdout [" + out + "], stderr [" + err + "]";
    }
}
