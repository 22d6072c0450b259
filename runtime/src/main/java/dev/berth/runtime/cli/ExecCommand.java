package dev.berth.runtime.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.ContainerState;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth-runtime exec [options] ID [COMMAND...]}: runs a process in a running container
 * to its end, with this command's stdin, stdout and stderr, and exits with its exit code.
 */
@Command(name = "exec", description = "Run a process in a running container and exit with its exit code.")
final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    RuntimeCommand parent;

    @Option(names = {"-p", "--process"}, paramLabel = "FILE",
            description = "A JSON OCI process (as config.json's \"process\") to start from instead of the container's own.")
    Path processFile;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable (repeatable).")
    List<String> env;

    @Option(names = "--cwd", paramLabel = "DIR", description = "The working directory in the container.")
    String cwd;

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "The user (and group) ids to run as.")
    String user;

    @Option(names = {"-t", "--tty"}, description = "Not supported yet (no terminals).")
    boolean tty;

    @Parameters(index = "0", paramLabel = "ID", description = "The container.")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "COMMAND", description = "The program and its arguments.")
    List<String> command;

    @Override
    public Integer call() throws InvalidSpecException, InterruptedException {
        if (tty) {
            throw new IllegalArgumentException("--tty is not supported yet: berth-runtime has no terminals; leave it out");
        }
        ContainerState state = parent.runtime().state(id);
        Spec.Process base = processFile != null ? readProcess(processFile) : SpecFiles.read(state.bundle()).process();
        Process process = parent.runtime().exec(id, ExecOverrides.build(base, command, env, cwd, user)).process();
        StdioPump.Outcome outcome = StdioPump.run(process, parent.io());
        if (outcome.shimFailure() != null) {
            throw new RuntimeFailureException("cannot exec in container " + id + ": " + outcome.shimFailure());
        }
        return outcome.exitCode();
    }

    private static Spec.Process readProcess(Path file) {
        // Made here, not in a static field: picocli builds every verb at start, and databind's start-up is slow.
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try {
            return json.readValue(file.toFile(), Spec.Process.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the process file " + file + ": " + e.getMessage(), e);
        }
    }
}
