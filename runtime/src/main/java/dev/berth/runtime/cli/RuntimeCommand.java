package dev.berth.runtime.cli;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.shim.CgroupPlacement;
import dev.berth.runtime.shim.ManagedCgroups;
import dev.berth.runtime.shim.ShimRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code berth-runtime}: Berth's OCI runtime behind runc's command line, so tools that drive
 * runc can drive Berth's runtime, and the two can be compared. Each call opens the runtime
 * over {@code --root} and acts on the containers' state there (the runtime keeps everything
 * on disk and in the per-container shims, so calls need no daemon). Exit codes: 0 done,
 * 1 failed with {@code berth-runtime: <reason>} on stderr; exec exits with the program's code.
 */
@Command(
        name = "berth-runtime",
        description = "Berth's OCI runtime with runc's command line (create, start, state, kill, delete, list, exec).",
        subcommands = {CreateCommand.class, StartCommand.class, StateCommand.class, KillCommand.class, DeleteCommand.class,
                ListCommand.class, ExecCommand.class})
public final class RuntimeCommand implements Callable<Integer> {
    static final String PROGRAM = "berth-runtime";

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/run/berth-runtime",
            description = "Directory of the containers' state, as runc's --root (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    @CommandLine.Spec
    CommandSpec command;

    private final Io io;
    private ContainerRuntime runtime;

    RuntimeCommand(Io io) {
        this.io = io;
    }

    public static void main(String[] args) {
        System.exit(run(Io.system(), args));
    }

    /** Runs one command line and returns its exit code; never exits the JVM, so tests run it in-process. */
    static int run(Io io, String... args) {
        return commandLine(io).execute(args);
    }

    static CommandLine commandLine(Io io) {
        CommandLine line = new CommandLine(new RuntimeCommand(io));
        line.setOut(new PrintWriter(io.out(), true));
        line.setErr(new PrintWriter(io.err(), true));
        // As runc: exec's options come before the container id; all after it is the command and its arguments.
        line.getSubcommands().get("exec").setStopAtPositional(true);
        line.setParameterExceptionHandler((e, args) -> {
            io.err().println(PROGRAM + ": " + e.getMessage());
            io.err().println(PROGRAM + ": see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return 1;
        });
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            io.err().println(PROGRAM + ": " + describe(e));
            if (!expected(e)) {
                e.printStackTrace(io.err());
            }
            return 1;
        });
        return line;
    }

    /** Where the containers' cgroups go: the host's cgroup managers, as detected (v1, hybrid or v2). */
    static CgroupPlacement cgroupPlacement() {
        return new ManagedCgroups(CgroupsFactory.detect());
    }

    /** The runtime over {@code --root}, opened on first use. */
    ContainerRuntime runtime() {
        if (runtime == null) {
            runtime = ShimRuntime.open(root, cgroupPlacement(), Clock.systemUTC());
        }
        return runtime;
    }

    Path root() {
        return root;
    }

    Io io() {
        return io;
    }

    @Override
    public Integer call() {
        command.commandLine().usage(io.out());
        return 0;
    }

    /** The failure as one line: its message, and its cause's when that adds something. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }

    /** Failures the runtime reports on purpose; anything else is a bug and gets its stack trace too. */
    private static boolean expected(Throwable e) {
        return e instanceof NoSuchContainerException || e instanceof RuntimeFailureException || e instanceof InvalidSpecException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof UncheckedIOException
                || e instanceof IOException;
    }
}
