package dev.berth.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The daemon's configuration, as read from {@code /etc/berth/config.toml}.
 *
 * <p>Every key has a default, applied in the compact constructors, so a missing file, table
 * or key means "the default". Keys are TOML snake_case names; {@link ConfigPrinter} prints the
 * whole tree with each component's {@link Doc} comment, so a new key needs only a component here.
 */
public record BerthConfig(
        @JsonProperty("root")
        @Doc("Persistent state (images, snapshots, pod and container records). Created with mode 0700.")
        Path root,
        @JsonProperty("state")
        @Doc("Volatile state (shim sockets, bundles, exit files, netns pins); expected on a tmpfs. Created with mode 0700.")
        Path state,
        @JsonProperty("log_level")
        @Doc("Log level: error, warn, info, debug or trace. debug logs every RPC with its duration and status.")
        String logLevel,
        @JsonProperty("grpc")
        @Doc("The CRI endpoint kubelet and crictl connect to.")
        Grpc grpc,
        @JsonProperty("metrics")
        @Doc("Prometheus metrics over HTTP.")
        Metrics metrics,
        @JsonProperty("cgroup")
        @Doc("How containers' cgroups are managed.")
        Cgroup cgroup) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/berth");
    public static final Path DEFAULT_STATE = Path.of("/run/berth");

    public BerthConfig {
        root = Objects.requireNonNullElse(root, DEFAULT_ROOT);
        state = Objects.requireNonNullElse(state, DEFAULT_STATE);
        logLevel = Objects.requireNonNullElse(logLevel, "info");
        grpc = Objects.requireNonNullElseGet(grpc, () -> new Grpc(null, null));
        metrics = Objects.requireNonNullElseGet(metrics, () -> new Metrics(null));
        cgroup = Objects.requireNonNullElseGet(cgroup, () -> new Cgroup(null));
    }

    public static BerthConfig defaults() {
        return new BerthConfig(null, null, null, null, null, null);
    }

    public BerthConfig withRoot(Path value) {
        return new BerthConfig(value, state, logLevel, grpc, metrics, cgroup);
    }

    public BerthConfig withState(Path value) {
        return new BerthConfig(root, value, logLevel, grpc, metrics, cgroup);
    }

    public BerthConfig withLogLevel(String value) {
        return new BerthConfig(root, state, value, grpc, metrics, cgroup);
    }

    public BerthConfig withGrpc(Grpc value) {
        return new BerthConfig(root, state, logLevel, value, metrics, cgroup);
    }

    public BerthConfig withMetrics(Metrics value) {
        return new BerthConfig(root, state, logLevel, grpc, value, cgroup);
    }

    public BerthConfig withCgroup(Cgroup value) {
        return new BerthConfig(root, state, logLevel, grpc, metrics, value);
    }

    /** The CRI gRPC endpoint. */
    public record Grpc(
            @JsonProperty("socket")
            @Doc("Unix socket serving the CRI RuntimeService and ImageService (file mode 0660).")
            Path socket,
            @JsonProperty("max_message_bytes")
            @Doc("Largest request or response message in bytes; kubelet uses 16 MiB.")
            Integer maxMessageBytes) {

        public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");

        public Grpc {
            socket = Objects.requireNonNullElse(socket, DEFAULT_SOCKET);
            maxMessageBytes = Objects.requireNonNullElse(maxMessageBytes, 16 * 1024 * 1024);
        }

        public Grpc withSocket(Path value) {
            return new Grpc(value, maxMessageBytes);
        }
    }

    /** The Prometheus endpoint. */
    public record Metrics(
            @JsonProperty("address")
            @Doc("host:port serving /metrics over plain HTTP; port 0 turns metrics off.")
            String address) {

        public Metrics {
            address = Objects.requireNonNullElse(address, "127.0.0.1:9097");
        }
    }

    /** cgroup management. */
    public record Cgroup(
            @JsonProperty("driver")
            @Doc("cgroup driver reported to kubelet: auto (systemd when the host booted with systemd, else cgroupfs), cgroupfs or systemd.")
            String driver) {

        public Cgroup {
            driver = Objects.requireNonNullElse(driver, "auto");
        }
    }
}
