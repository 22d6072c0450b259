package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerMetadata;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ContainerStatusRequest;
import dev.berth.cri.api.v1.CreateContainerRequest;
import dev.berth.cri.api.v1.ExecSyncRequest;
import dev.berth.cri.api.v1.ExecSyncResponse;
import dev.berth.cri.api.v1.ImageServiceGrpc;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.LinuxPodSandboxConfig;
import dev.berth.cri.api.v1.ListPodSandboxRequest;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxMetadata;
import dev.berth.cri.api.v1.PullImageRequest;
import dev.berth.cri.api.v1.RemovePodSandboxRequest;
import dev.berth.cri.api.v1.RunPodSandboxRequest;
import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.StartContainerRequest;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.config.BerthConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A Berth daemon (in this JVM) with a real bridge network, a registry serving a busybox image,
 * and pods under a cgroup parent of their own; cleans all of it up. For root tests of pods
 * and containers through the CRI socket.
 */
final class PodFixture implements AutoCloseable {
    static final Path PLUGINS = Path.of("/usr/lib/cni");

    final Path dir;
    final String suffix = HexFormat.of().formatHex(randomBytes());
    final String bridge = "be" + suffix;
    final String subnetPrefix = "10.87." + Integer.parseInt(suffix.substring(0, 2), 16) + ".";
    final String cgroupParent = "/berth-e2e-" + suffix;
    private final String ipForwardBefore;
    final BerthConfig config;
    Daemon daemon;
    CriChannels client;
    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    ImageServiceGrpc.ImageServiceBlockingStub images;

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** Skips the calling test (with the reason) when the machine cannot run pods. */
    static void assumeCapable(TestRegistry registry) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces, bridges, mounts and cgroups");
        assumeTrue(Files.isExecutable(PLUGINS.resolve("bridge")), "needs Debian containernetworking-plugins in " + PLUGINS);
        assumeTrue(BusyboxImage.available(), BusyboxImage.NO_BUSYBOX);
        assumeTrue(registry != null, "needs " + TestRegistry.BINARY + " (Debian package docker-registry)");
    }

    PodFixture(Path dir, TestRegistry registry) throws Exception {
        this(dir, registry, UnaryOperator.identity(), PodFixture::bridgeNetwork);
    }

    /**
     * A fixture whose daemon config the test adjusts and whose network config it writes, given
     * the fixture for its bridge name and subnet ({@code network} may answer null: no file).
     * {@code registry} may be null when the test pulls nothing.
     */
    PodFixture(Path dir, TestRegistry registry, UnaryOperator<BerthConfig> configure, Function<PodFixture, String> network)
            throws Exception {
        this.dir = dir;
        this.ipForwardBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        this.config = configure.apply(TestConfigs.inside(dir, false));
        if (registry != null) {
            registry.writeHostsToml(TestConfigs.certsDir(dir));
        }
        Files.createDirectories(TestConfigs.confDir(dir));
        String conflist = network.apply(this);
        if (conflist != null) {
            Files.writeString(TestConfigs.confDir(dir).resolve("10-e2e.conflist"), conflist);
        }
        start();
    }

    /** A bridge network on the fixture's own bridge and subnet, its leases under the test dir. */
    String bridgeNetwork() {
        return """
                {"cniVersion":"1.0.0","name":"%s","plugins":[
                  {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,
                   "ipam":{"type":"host-local","ranges":[[{"subnet":"%s0/24"}]],"dataDir":"%s"}}
                ]}
                """.formatted(bridge, bridge, subnetPrefix, dir.resolve("ipam"));
    }

    void start() throws Exception {
        daemon = Daemon.start(config);
        connect();
    }

    private void connect() {
        client = new CriChannels(config.grpc().socket());
        runtime = RuntimeServiceGrpc.newBlockingStub(client.channel());
        images = ImageServiceGrpc.newBlockingStub(client.channel());
    }

    /** Runs the daemon as a child JVM (the same config), so a test can kill -9 it; returns when it answers. */
    Process startProcess() throws Exception {
        Path toml = dir.resolve("berth.toml");
        Files.writeString(toml, """
                root = "%s"
                state = "%s"
                [grpc]
                socket = "%s"
                [metrics]
                address = "127.0.0.1:0"
                [cgroup]
                driver = "cgroupfs"
                [cni]
                conf_dirs = ["%s"]
                netns_dir = "%s"
                cache_dir = "%s"
                write_default_config = false
                [image]
                config_path = "%s"
                """.formatted(config.root(), config.state(), config.grpc().socket(), TestConfigs.confDir(dir),
                config.cni().netnsDirUnder(config.state()), config.cni().cacheDirUnder(config.root()), TestConfigs.certsDir(dir)));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.berth.server.cli.BerthCommand", "daemon", "--config", toml.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon-process.log").toFile()).start();
        connect();
        Instant end = Instant.now().plusSeconds(30);
        while (true) {
            try {
                runtime.version(dev.berth.cri.api.v1.VersionRequest.getDefaultInstance());
                return process;
            } catch (io.grpc.StatusRuntimeException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(end)) {
                    throw new IllegalStateException("the daemon process did not answer: "
                            + Files.readString(dir.resolve("daemon-process.log")), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Stops the daemon the way SIGTERM does; shims and containers keep running. */
    void stopDaemon() {
        if (client != null) {
            try {
                client.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client = null;
        }
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    void pull(String reference) {
        images.pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(reference)).build());
    }

    PodSandboxConfig pod(String name) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("e2e").setUid("uid-" + name + "-" + suffix))
                .setHostname(name)
                .setLogDirectory(dir.resolve("logs/" + name).toString())
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent))
                .build();
    }

    String runPod(PodSandboxConfig pod) {
        return runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build()).getPodSandboxId();
    }

    ContainerConfig container(String name, String image, String... command) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .addAllCommand(List.of(command))
                .setLogPath(name + "/0.log")
                .build();
    }

    String create(String podId, PodSandboxConfig pod, ContainerConfig container) {
        return runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId).setConfig(container)
                .setSandboxConfig(pod).build()).getContainerId();
    }

    String createAndStart(String podId, PodSandboxConfig pod, ContainerConfig container) {
        String id = create(podId, pod, container);
        runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    ContainerConfig.Builder edit(ContainerConfig c, UnaryOperator<ContainerConfig.Builder> change) {
        return change.apply(c.toBuilder());
    }

    ContainerStatus status(String id) {
        return runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus();
    }

    ContainerStatus awaitState(String id, ContainerState state, Duration within) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        ContainerStatus s = status(id);
        while (s.getState() != state && Instant.now().isBefore(end)) {
            Thread.sleep(50);
            s = status(id);
        }
        return s;
    }

    ExecSyncResponse exec(String id, String... command) {
        return runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(List.of(command)).setTimeout(30).build());
    }

    /** The command's stdout, stripped. */
    String sh(String id, String script) {
        return exec(id, "sh", "-c", script).getStdout().toStringUtf8().strip();
    }

    @Override
    public void close() throws IOException {
        try {
            if (daemon == null) {
                start();
            }
            runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()
                    .forEach(p -> runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build()));
        } catch (Exception e) {
            throw new IOException("cannot remove the test pods: " + e, e);
        } finally {
            stopDaemon();
            CgroupsFactory.detect().destroy(cgroupParent);
            try {
                new ProcessBuilder("ip", "link", "del", bridge).redirectErrorStream(true).start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForwardBefore);
        }
    }
}
