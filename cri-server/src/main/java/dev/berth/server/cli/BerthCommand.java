package dev.berth.server.cli;

import dev.berth.server.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the daemon and its helper commands. */
@Command(
        name = "berth",
        mixinStandardHelpOptions = true,
        versionProvider = BerthCommand.Version.class,
        description = "Berth, a Kubernetes node agent implementing the Container Runtime Interface (CRI v1).",
        subcommands = {DaemonCommand.class, ConfigCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class BerthCommand {

    public static void main(String[] args) {
        // By name: loading the class would create the default LogManager first.
        System.setProperty("java.util.logging.manager", "dev.berth.server.observe.KeepHandlersLogManager");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BerthCommand());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.RUNTIME_NAME + " " + BuildInfo.version() + " (CRI " + BuildInfo.CRI_API_VERSION + ")"};
        }
    }
}
