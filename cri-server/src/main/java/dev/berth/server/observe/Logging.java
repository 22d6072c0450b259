package dev.berth.server.observe;

import java.time.Instant;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One-line logs on stderr through java.util.logging, which grpc-java and Netty also use. */
public final class Logging {
    private static final Map<String, Level> LEVELS = Map.of(
            "error", Level.SEVERE, "warn", Level.WARNING, "info", Level.INFO, "debug", Level.FINE, "trace", Level.FINEST);

    // JUL keeps loggers weakly: hold the ones whose level is set, or the setting is lost.
    private static final Logger GRPC = Logger.getLogger("io.grpc");
    private static final Logger NETTY = Logger.getLogger("io.netty");
    /** grpc-netty sets SO_KEEPALIVE on every accepted channel; a unix socket has none, and Netty warns per connection. */
    private static final Logger BOOTSTRAP = Logger.getLogger("io.netty.bootstrap.ServerBootstrap");
    /** dbus-java (the systemd cgroup driver's bus client) logs each connection's transport at info. */
    private static final Logger DBUS = Logger.getLogger("org.freedesktop.dbus");

    private Logging() {}

    /** Applies a config log level (error, warn, info, debug, trace). */
    public static void configure(String level) {
        Level julLevel = LEVELS.getOrDefault(level, Level.INFO);
        LogManager manager = LogManager.getLogManager();
        if (manager instanceof KeepHandlersLogManager keep) {
            keep.clearHandlers();
        } else {
            manager.reset();
        }
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new OneLine());
        root.addHandler(handler);
        root.setLevel(julLevel);
        // Library internals are noise below info unless tracing.
        Level libraries = julLevel == Level.FINEST ? Level.FINEST : Level.INFO.intValue() > julLevel.intValue() ? Level.INFO : julLevel;
        GRPC.setLevel(libraries);
        NETTY.setLevel(libraries);
        BOOTSTRAP.setLevel(Level.SEVERE);
        DBUS.setLevel(julLevel.intValue() < Level.INFO.intValue() ? libraries : Level.WARNING);
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder line = new StringBuilder()
                    .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                    .append(levelName(r.getLevel())).append(' ')
                    .append(shortName(r.getLoggerName())).append(": ")
                    .append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                line.append("  ").append(r.getThrown()).append('\n');
                for (StackTraceElement frame : r.getThrown().getStackTrace()) {
                    line.append("    at ").append(frame).append('\n');
                }
            }
            return line.toString();
        }

        private static String levelName(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return level.intValue() >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
        }

        private static String shortName(String logger) {
            if (logger == null) {
                return "-";
            }
            int dot = logger.lastIndexOf('.');
            return dot < 0 ? logger : logger.substring(dot + 1);
        }
    }
}
