package dev.berth.runtime.cli;

import dev.berth.runtime.ContainerState;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth-runtime create [--bundle DIR] [--pid-file FILE] ID}: creates a container whose init waits for start. */
@Command(name = "create", description = "Create a container from a bundle; its process waits for start.")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    RuntimeCommand parent;

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", defaultValue = ".",
            description = "The bundle: config.json and usually the rootfs (default: the current directory).")
    Path bundle;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the init's pid (host PID namespace) to FILE.")
    Path pidFile;

    @Option(names = "--console-socket", paramLabel = "PATH", description = "Not supported yet (no terminals).")
    Path consoleSocket;

    @Parameters(index = "0", paramLabel = "ID", description = "The new container's id.")
    String id;

    @Override
    public Integer call() throws InvalidSpecException, IOException {
        if (consoleSocket != null) {
            throw new IllegalArgumentException("--console-socket is not supported yet: berth-runtime has no terminals;"
                    + " set \"terminal\": false in config.json and leave it out");
        }
        Path dir = bundle.toAbsolutePath().normalize();
        Spec spec = SpecFiles.read(dir);
        if (spec.process() != null && Boolean.TRUE.equals(spec.process().terminal())) {
            throw new IllegalArgumentException(dir.resolve("config.json") + " asks for a terminal (\"process.terminal\": true);"
                    + " terminals are not supported yet: set it to false");
        }
        ContainerState state = parent.runtime().create(id, dir, CreateOptions.defaults());
        if (pidFile != null) {
            try {
                writePidFile(pidFile.toAbsolutePath(), state.pid());
            } catch (IOException | RuntimeException e) {
                parent.runtime().delete(id, true); // as runc: no container when create reports failure
                throw new IOException("cannot write the pid file " + pidFile + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }

    /** As runc: the bare number, no newline, written atomically so a reader never sees a partial file. */
    static void writePidFile(Path file, long pid) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(pid), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
