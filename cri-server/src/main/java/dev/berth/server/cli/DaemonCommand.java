package dev.berth.server.cli;

import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ConfigLoader;
import dev.berth.server.daemon.Daemon;
import dev.berth.server.daemon.DaemonStartException;
import dev.berth.server.observe.Logging;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth daemon}: serve CRI until SIGTERM or SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the Berth daemon: serve CRI on a unix socket until SIGTERM or SIGINT.")
final class DaemonCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: /etc/berth/config.toml, used when it exists).")
    Path configFile;

    @Option(names = "--root", paramLabel = "DIR", description = "Overrides root: persistent state directory.")
    Path root;

    @Option(names = "--state", paramLabel = "DIR", description = "Overrides state: volatile state directory.")
    Path state;

    @Option(names = "--socket", paramLabel = "PATH", description = "Overrides grpc.socket: the CRI unix socket.")
    Path socket;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT", description = "Overrides metrics.address; port 0 turns metrics off.")
    String metricsAddress;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "Overrides log_level: error, warn, info, debug or trace.")
    String logLevel;

    @Option(names = "--cgroup-driver", paramLabel = "DRIVER", description = "Overrides cgroup.driver: auto, cgroupfs or systemd.")
    String cgroupDriver;

    @Override
    public Integer call() {
        BerthConfig config;
        try {
            config = ConfigLoader.validateOverrides(applyFlags(loadFile()));
        } catch (ConfigException e) {
            System.err.println("berth: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        Logging.configure(config.logLevel());
        Daemon daemon;
        try {
            daemon = Daemon.start(config);
        } catch (DaemonStartException e) {
            System.err.println("berth: " + e.getMessage());
            return ExitCodes.START_FAILED;
        }
        // SIGTERM and SIGINT run shutdown hooks: stop gracefully, then the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "berth-shutdown"));
        try {
            daemon.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private BerthConfig loadFile() throws ConfigException {
        ConfigLoader loader = new ConfigLoader();
        return configFile == null ? loader.load(ConfigLoader.DEFAULT_FILE, false) : loader.load(configFile, true);
    }

    private BerthConfig applyFlags(BerthConfig config) {
        if (root != null) {
            config = config.withRoot(root);
        }
        if (state != null) {
            config = config.withState(state);
        }
        if (socket != null) {
            config = config.withGrpc(config.grpc().withSocket(socket));
        }
        if (metricsAddress != null) {
            config = config.withMetrics(new BerthConfig.Metrics(metricsAddress));
        }
        if (logLevel != null) {
            config = config.withLogLevel(logLevel);
        }
        if (cgroupDriver != null) {
            config = config.withCgroup(new BerthConfig.Cgroup(cgroupDriver));
        }
        return config;
    }
}
