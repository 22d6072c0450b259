package dev.berth.server.cli;

import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ConfigLoader;
import dev.berth.server.config.ConfigPrinter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth config default|check}: print or check the daemon's configuration. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Print or check the daemon configuration.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "default", description = "Print the full default config.toml, with a comment per key.")
    int printDefault() {
        System.out.print(ConfigPrinter.print(BerthConfig.defaults()));
        return 0;
    }

    @Command(name = "check", description = "Check a config file and print it with every default filled in.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--config", description = "Config file (default: ${DEFAULT-VALUE}).", defaultValue = "/etc/berth/config.toml")
        Path file;

        @Override
        public Integer call() {
            try {
                System.out.print(ConfigPrinter.print(new ConfigLoader().load(file, true)));
                return 0;
            } catch (ConfigException e) {
                System.err.println("berth: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
        }
    }
}
