package dev.berth.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
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
        Cgroup cgroup,
        @JsonProperty("cni")
        @Doc("Pod networking through CNI plugins (host-network pods do not use it).")
        Cni cni,
        @JsonProperty("image")
        @Doc("Image pulls and the image store.")
        Image image,
        @JsonProperty("streaming")
        @Doc("The streaming server that kubelet proxies kubectl exec, attach and port-forward to (CRI Exec, Attach and PortForward answer its URLs).")
        Streaming streaming,
        @JsonProperty("checkpoint")
        @Doc("Container checkpoint and restore through CRIU (CRI CheckpointContainer; CreateContainer from a checkpoint archive).")
        Checkpoint checkpoint) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/berth");
    public static final Path DEFAULT_STATE = Path.of("/run/berth");

    public BerthConfig {
        root = Objects.requireNonNullElse(root, DEFAULT_ROOT);
        state = Objects.requireNonNullElse(state, DEFAULT_STATE);
        logLevel = Objects.requireNonNullElse(logLevel, "info");
        grpc = Objects.requireNonNullElseGet(grpc, () -> new Grpc(null, null));
        metrics = Objects.requireNonNullElseGet(metrics, () -> new Metrics(null));
        cgroup = Objects.requireNonNullElseGet(cgroup, () -> new Cgroup(null));
        cni = Objects.requireNonNullElseGet(cni, () -> new Cni(null, null, null, null, null, null, null, null));
        image = Objects.requireNonNullElseGet(image, () -> new Image(null, null, null, null, null, null, null, null, null, null, null));
        streaming = Objects.requireNonNullElseGet(streaming, () -> new Streaming(null, null, null, null, null));
        checkpoint = Objects.requireNonNullElseGet(checkpoint, () -> new Checkpoint(null, null));
    }

    public static BerthConfig defaults() {
        return new BerthConfig(null, null, null, null, null, null, null, null, null, null);
    }

    public BerthConfig withRoot(Path value) {
        return new BerthConfig(value, state, logLevel, grpc, metrics, cgroup, cni, image, streaming, checkpoint);
    }

    public BerthConfig withState(Path value) {
        return new BerthConfig(root, value, logLevel, grpc, metrics, cgroup, cni, image, streaming, checkpoint);
    }

    public BerthConfig withLogLevel(String value) {
        return new BerthConfig(root, state, value, grpc, metrics, cgroup, cni, image, streaming, checkpoint);
    }

    public BerthConfig withGrpc(Grpc value) {
        return new BerthConfig(root, state, logLevel, value, metrics, cgroup, cni, image, streaming, checkpoint);
    }

    public BerthConfig withMetrics(Metrics value) {
        return new BerthConfig(root, state, logLevel, grpc, value, cgroup, cni, image, streaming, checkpoint);
    }

    public BerthConfig withCgroup(Cgroup value) {
        return new BerthConfig(root, state, logLevel, grpc, metrics, value, cni, image, streaming, checkpoint);
    }

    public BerthConfig withCni(Cni value) {
        return new BerthConfig(root, state, logLevel, grpc, metrics, cgroup, value, image, streaming, checkpoint);
    }

    public BerthConfig withImage(Image value) {
        return new BerthConfig(root, state, logLevel, grpc, metrics, cgroup, cni, value, streaming, checkpoint);
    }

    public BerthConfig withCheckpoint(Checkpoint value) {
        return new BerthConfig(root, state, logLevel, grpc, metrics, cgroup, cni, image, streaming, value);
    }

    public BerthConfig withStreaming(Streaming value) {
        return new BerthConfig(root, state, logLevel, grpc, metrics, cgroup, cni, image, value, checkpoint);
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
            @Doc("cgroup driver, also reported to kubelet (which must use the same): auto (systemd when the host booted with systemd,"
                    + " else cgroupfs), cgroupfs (Berth writes the cgroup files) or systemd (containers are transient systemd scopes).")
            String driver) {

        public Cgroup {
            driver = Objects.requireNonNullElse(driver, "auto");
        }
    }

    /**
     * Pod networking. {@code netns_dir} and {@code cache_dir} default to an empty path meaning
     * "under state" and "under root": a default cannot depend on another key here, and an empty
     * value (rather than a copy of today's state path) keeps following {@code --state} and
     * {@code --root}. {@link #netnsDirUnder} and {@link #cacheDirUnder} resolve them.
     */
    public record Cni(
            @JsonProperty("conf_dirs")
            @Doc("Directories searched in order for the network config: the first one holding a .conflist, .conf or .json file wins, and within it the lowest-sorting file.")
            List<Path> confDirs,
            @JsonProperty("bin_dirs")
            @Doc("Directories searched in order for CNI plugin binaries (also passed to plugins as CNI_PATH).")
            List<Path> binDirs,
            @JsonProperty("netns_dir")
            @Doc("Where pod network namespaces are pinned, one file per pod; empty means <state>/netns.")
            Path netnsDir,
            @JsonProperty("cache_dir")
            @Doc("Where each pod's CNI config and result are kept until teardown, across restarts; empty means <root>/cni/results.")
            Path cacheDir,
            @JsonProperty("plugin_timeout_seconds")
            @Doc("Longest a single CNI plugin call may run before it is killed.")
            Integer pluginTimeoutSeconds,
            @JsonProperty("max_output_bytes")
            @Doc("Cap in bytes on what a plugin may write to stdout, and to stderr.")
            Integer maxOutputBytes,
            @JsonProperty("write_default_config")
            @Doc("When no network config exists at start, write the default network below into the first of conf_dirs.")
            Boolean writeDefaultConfig,
            @JsonProperty("default_network")
            @Doc("The network written by write_default_config: a bridge with host-local addresses and portmap.")
            DefaultNetwork defaultNetwork) {

        /** Stands for "the default place under state or root" in {@code netns_dir} and {@code cache_dir}. */
        public static final Path UNDER_STATE_OR_ROOT = Path.of("");

        public Cni {
            confDirs = List.copyOf(Objects.requireNonNullElse(confDirs, List.of(Path.of("/etc/cni/net.d"))));
            binDirs = List.copyOf(Objects.requireNonNullElse(binDirs, List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni"))));
            netnsDir = Objects.requireNonNullElse(netnsDir, UNDER_STATE_OR_ROOT);
            cacheDir = Objects.requireNonNullElse(cacheDir, UNDER_STATE_OR_ROOT);
            pluginTimeoutSeconds = Objects.requireNonNullElse(pluginTimeoutSeconds, 60);
            maxOutputBytes = Objects.requireNonNullElse(maxOutputBytes, 1024 * 1024);
            writeDefaultConfig = Objects.requireNonNullElse(writeDefaultConfig, Boolean.TRUE);
            defaultNetwork = Objects.requireNonNullElseGet(defaultNetwork, () -> new DefaultNetwork(null, null, null));
        }

        /** {@code netns_dir}, or {@code <state>/netns} when it is empty. */
        public Path netnsDirUnder(Path state) {
            return netnsDir.equals(UNDER_STATE_OR_ROOT) ? state.resolve("netns") : netnsDir;
        }

        /** {@code cache_dir}, or {@code <root>/cni/results} when it is empty. */
        public Path cacheDirUnder(Path root) {
            return cacheDir.equals(UNDER_STATE_OR_ROOT) ? root.resolve("cni").resolve("results") : cacheDir;
        }

        public Cni withBinDirs(List<Path> value) {
            return new Cni(confDirs, value, netnsDir, cacheDir, pluginTimeoutSeconds, maxOutputBytes, writeDefaultConfig, defaultNetwork);
        }

        public Cni withWriteDefaultConfig(boolean value) {
            return new Cni(confDirs, binDirs, netnsDir, cacheDir, pluginTimeoutSeconds, maxOutputBytes, value, defaultNetwork);
        }

        /** The bridge network Berth writes when a node has none. */
        public record DefaultNetwork(
                @JsonProperty("name")
                @Doc("Network name; the file written is <first conf dir>/10-<name>.conflist.")
                String name,
                @JsonProperty("bridge")
                @Doc("Host bridge device the pods are attached to (at most 15 characters).")
                String bridge,
                @JsonProperty("subnet")
                @Doc("Subnet (CIDR) pods get their addresses from until kubelet sends the node's pod CIDR, which then takes its place in the written file; the bridge takes the first address as gateway.")
                String subnet) {

            public DefaultNetwork {
                name = Objects.requireNonNullElse(name, "berth");
                bridge = Objects.requireNonNullElse(bridge, "berth0");
                subnet = Objects.requireNonNullElse(subnet, "10.88.0.0/16");
            }
        }
    }

    /**
     * Image pulls and the image store. {@code root} defaults to an empty path meaning
     * {@code <root>/images}, for the same reason as {@link Cni#cacheDir}; {@link #rootUnder}
     * resolves it. An empty {@code config_path} means no registry host config at all.
     */
    public record Image(
            @JsonProperty("root")
            @Doc("Image store (blobs, unpacked layers, image records, containers' writable layers); empty means <root>/images.")
            Path root,
            @JsonProperty("config_path")
            @Doc("Registry host config dir as containerd's: <config_path>/<registry host>/hosts.toml (mirrors, plain HTTP, CAs); a missing dir means every registry's own HTTPS server.")
            Path configPath,
            @JsonProperty("max_concurrent_downloads")
            @Doc("Layers downloaded at once, across all pulls.")
            Integer maxConcurrentDownloads,
            @JsonProperty("stall_timeout_seconds")
            @Doc("A pull that receives no byte for this long is aborted (DEADLINE_EXCEEDED); slow but moving pulls go on.")
            Integer stallTimeoutSeconds,
            @JsonProperty("max_manifest_bytes")
            @Doc("Largest manifest, index or image config accepted from a registry, in bytes.")
            Long maxManifestBytes,
            @JsonProperty("max_layer_bytes")
            @Doc("Largest layer accepted, uncompressed, in bytes; a bigger one fails the pull.")
            Long maxLayerBytes,
            @JsonProperty("keep_compressed_layers")
            @Doc("Keep the compressed layer blobs after unpacking (off: they are dropped to save disk).")
            Boolean keepCompressedLayers,
            @JsonProperty("allow_device_nodes")
            @Doc("Let image layers create character and block device files (off: such a layer fails the pull).")
            Boolean allowDeviceNodes,
            @JsonProperty("retries")
            @Doc("Retries of a registry request after a 5xx answer or a cut connection.")
            Integer retries,
            @JsonProperty("retry_backoff_millis")
            @Doc("Wait before the first retry, in milliseconds; doubled for each further one.")
            Integer retryBackoffMillis,
            @JsonProperty("sandbox_image")
            @Doc("Image kept pinned, so kubelet's image GC never removes it (Berth itself needs no pause image); empty pins nothing.")
            String sandboxImage) {

        /** Stands for "<root>/images" in {@code root}. */
        public static final Path UNDER_ROOT = Path.of("");

        public Image {
            root = Objects.requireNonNullElse(root, UNDER_ROOT);
            configPath = Objects.requireNonNullElse(configPath, Path.of("/etc/berth/certs.d"));
            maxConcurrentDownloads = Objects.requireNonNullElse(maxConcurrentDownloads, 3);
            stallTimeoutSeconds = Objects.requireNonNullElse(stallTimeoutSeconds, 60);
            maxManifestBytes = Objects.requireNonNullElse(maxManifestBytes, 4L * 1024 * 1024);
            maxLayerBytes = Objects.requireNonNullElse(maxLayerBytes, 16L * 1024 * 1024 * 1024);
            keepCompressedLayers = Objects.requireNonNullElse(keepCompressedLayers, Boolean.FALSE);
            allowDeviceNodes = Objects.requireNonNullElse(allowDeviceNodes, Boolean.FALSE);
            retries = Objects.requireNonNullElse(retries, 4);
            retryBackoffMillis = Objects.requireNonNullElse(retryBackoffMillis, 500);
            sandboxImage = Objects.requireNonNullElse(sandboxImage, "registry.k8s.io/pause:3.10");
        }

        /** {@code root}, or {@code <berth root>/images} when it is empty. */
        public Path rootUnder(Path berthRoot) {
            return root.equals(UNDER_ROOT) ? berthRoot.resolve("images") : root;
        }

        public Image withConfigPath(Path value) {
            return new Image(root, value, maxConcurrentDownloads, stallTimeoutSeconds, maxManifestBytes, maxLayerBytes,
                    keepCompressedLayers, allowDeviceNodes, retries, retryBackoffMillis, sandboxImage);
        }

        public Image withRetries(int count, int backoffMillis) {
            return new Image(root, configPath, maxConcurrentDownloads, stallTimeoutSeconds, maxManifestBytes, maxLayerBytes,
                    keepCompressedLayers, allowDeviceNodes, count, backoffMillis, sandboxImage);
        }

        public Image withSandboxImage(String value) {
            return new Image(root, configPath, maxConcurrentDownloads, stallTimeoutSeconds, maxManifestBytes, maxLayerBytes,
                    keepCompressedLayers, allowDeviceNodes, retries, retryBackoffMillis, value);
        }
    }

    /**
     * The streaming server (DESIGN §6). Empty {@code tls_cert_file} and {@code tls_key_file}
     * mean plain HTTP: the server listens on loopback by default, where kubelet reaches it.
     */
    public record Streaming(
            @JsonProperty("address")
            @Doc("host:port to serve on; port 0 picks a free port (the URLs carry the port actually bound).")
            String address,
            @JsonProperty("tls_cert_file")
            @Doc("PEM certificate (chain) to serve HTTPS with, set together with tls_key_file; empty serves plain HTTP.")
            Path tlsCertFile,
            @JsonProperty("tls_key_file")
            @Doc("PEM private key (unencrypted PKCS#8) of tls_cert_file; empty when tls_cert_file is empty.")
            Path tlsKeyFile,
            @JsonProperty("idle_timeout_seconds")
            @Doc("A streaming connection with no traffic either way for this long is closed (kubelet's default: 4 h).")
            Integer idleTimeoutSeconds,
            @JsonProperty("stream_creation_timeout_seconds")
            @Doc("How long a SPDY client may take to open the streams of a session or of a port-forward request.")
            Integer streamCreationTimeoutSeconds) {

        /** Stands for "no TLS" in {@code tls_cert_file} and {@code tls_key_file}. */
        public static final Path NO_FILE = Path.of("");

        public Streaming {
            address = Objects.requireNonNullElse(address, "127.0.0.1:0");
            tlsCertFile = Objects.requireNonNullElse(tlsCertFile, NO_FILE);
            tlsKeyFile = Objects.requireNonNullElse(tlsKeyFile, NO_FILE);
            idleTimeoutSeconds = Objects.requireNonNullElse(idleTimeoutSeconds, 4 * 60 * 60);
            streamCreationTimeoutSeconds = Objects.requireNonNullElse(streamCreationTimeoutSeconds, 30);
        }

        /** Whether HTTPS is configured (the validator makes sure both files or neither are set). */
        public boolean tls() {
            return !tlsCertFile.equals(NO_FILE);
        }
    }

    /** CRIU, for CheckpointContainer and restoring from checkpoint archives (see the README on CRIU versions). */
    public record Checkpoint(
            @JsonProperty("criu_path")
            @Doc("The CRIU binary: a name looked up on PATH, or an absolute path. CRIU 4.1 or newer is needed on kernels from 6.15 on.")
            String criuPath,
            @JsonProperty("max_archive_bytes")
            @Doc("The most a checkpoint archive to restore from may hold, its files added up (CRIU's images are the container's memory).")
            Long maxArchiveBytes) {

        public Checkpoint {
            criuPath = Objects.requireNonNullElse(criuPath, "criu");
            maxArchiveBytes = Objects.requireNonNullElse(maxArchiveBytes, 16L << 30);
        }
    }
}
