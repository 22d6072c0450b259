package dev.berth.server.daemon;

import dev.berth.cni.CniConfig;
import dev.berth.cni.NetworkStatus;
import dev.berth.cni.PodCidrFile;
import dev.berth.cni.PodNetwork;
import dev.berth.cni.PodNetworks;
import dev.berth.image.ImageService;
import dev.berth.image.ImageServices;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.cgroup.CgroupLayout;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.shim.ManagedCgroups;
import dev.berth.runtime.shim.ShimRuntime;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import dev.berth.sandbox.ContainerEvents;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxSettings;
import dev.berth.sandbox.StoreImages;
import dev.berth.sandbox.spec.CgroupsPathStyle;
import dev.berth.server.BuildInfo;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ListenAddress;
import dev.berth.server.health.PodNetworkReadiness;
import dev.berth.server.health.StateDirsReadiness;
import dev.berth.server.host.CgroupDriver;
import dev.berth.server.observe.ImagePullMetrics;
import dev.berth.server.observe.MetricsServer;
import dev.berth.server.observe.RpcInterceptor;
import dev.berth.server.observe.RpcMetrics;
import dev.berth.server.rpc.ContainerRpcs;
import dev.berth.server.rpc.EventRpcs;
import dev.berth.server.rpc.ImageRpcs;
import dev.berth.server.rpc.ImageServiceAdapter;
import dev.berth.server.rpc.PodCidrRpcs;
import dev.berth.server.rpc.RuntimeInfoRpcs;
import dev.berth.server.rpc.RuntimeServiceAdapter;
import dev.berth.server.rpc.SandboxRpcs;
import dev.berth.server.rpc.StreamingRpcs;
import dev.berth.server.streaming.StreamTokens;
import dev.berth.server.streaming.StreamingServer;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A running Berth daemon: state directories, the pod network, the image store, the CRI socket, metrics.
 * {@link #close()} stops it gracefully (calls in flight finish) and removes the socket; it is
 * safe to call twice.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    /** How long calls in flight may run on after a stop signal. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final SocketGuard socket;
    private final CriServer server;
    private final ImageService images;
    private final SandboxService sandboxes;
    private final MetricsServer metrics;
    private final StreamingServer streaming;
    private final Path pidFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Daemon(SocketGuard socket, CriServer server, ImageService images, SandboxService sandboxes, MetricsServer metrics,
            StreamingServer streaming, Path pidFile) {
        this.socket = socket;
        this.streaming = streaming;
        this.sandboxes = sandboxes;
        this.server = server;
        this.images = images;
        this.metrics = metrics;
        this.pidFile = pidFile;
    }

    public static Daemon start(BerthConfig config) throws DaemonStartException {
        ListenAddress metricsAddress;
        CgroupLayout cgroups;
        StreamingServer.Settings streamingSettings = StreamingConfigs.from(config.streaming());
        try {
            metricsAddress = ListenAddress.parse(config.metrics().address());
            PrivateDirs.create(config.root());
            PrivateDirs.create(config.state());
            cgroups = CgroupLayout.detect();
        } catch (ConfigException | IOException e) {
            throw new DaemonStartException("cannot prepare Berth's directories: " + e.getMessage(), e);
        }
        CgroupDriver driver = CgroupDriver.resolve(config.cgroup().driver(), CgroupDriver.systemdBooted());
        try {
            driver.checkHost(CgroupDriver.systemdBooted());
        } catch (IllegalStateException e) {
            throw new DaemonStartException(e.getMessage(), e);
        }

        CollectorRegistry registry = new CollectorRegistry(true);
        RpcInterceptor interceptor = new RpcInterceptor(new RpcMetrics(registry), System::nanoTime);

        SocketGuard socket = SocketGuard.claim(config.grpc().socket());
        CriServer server = null;
        ImageService images = null;
        MetricsServer metrics = null;
        StreamingServer streaming = null;
        try {
            // Only after the claim: a daemon refused as the second one must not write a network
            // config, nor open (and garbage-collect) the image store the first one is using.
            PodCidrFile podCidrs = new PodCidrFile(config.root().resolve("cni").resolve("pod-cidrs.json"));
            PodNetwork podNetwork = startPodNetwork(config, podCidrs);
            images = openImages(config, registry);
            ImageRpcs imageRpcs = new ImageRpcs(images, config.image().sandboxImage());
            imageRpcs.pinSandboxImage();
            ContainerEvents events = new ContainerEvents();
            SandboxService sandboxes = openSandboxes(config, driver, podNetwork, images, events);
            RuntimeInfoRpcs info = new RuntimeInfoRpcs(config, cgroups, driver, List.of(
                    new StateDirsReadiness(List.of(config.root(), config.state())), new PodNetworkReadiness(podNetwork::status)),
                    sandboxes.containers()::checkpointSupport);
            SandboxRpcs sandboxRpcs = new SandboxRpcs(sandboxes, Clock.systemUTC());
            ContainerRpcs containerRpcs = new ContainerRpcs(sandboxes.containers());
            StreamingSeams seams = StreamingSeams.over(sandboxes, new LinuxSyscalls());
            streaming = StreamingServer.start(streamingSettings, new StreamTokens(Clock.systemUTC()), seams.commands(), seams.dialer());
            StreamingRpcs streamingRpcs = new StreamingRpcs(seams.targets(), streaming);
            server = CriServer.start(socket.socket(), config.grpc().maxMessageBytes(),
                    List.of(new RuntimeServiceAdapter(info, sandboxRpcs, containerRpcs, new EventRpcs(events), streamingRpcs,
                                    new PodCidrRpcs(podNetwork, podCidrs)),
                            new ImageServiceAdapter(imageRpcs)), interceptor);
            socket.restrictSocketMode();
            metrics = MetricsServer.startIfEnabled(metricsAddress, registry);
            Path pidFile = config.state().resolve("berth.pid");
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            Daemon daemon = new Daemon(socket, server, images, sandboxes, metrics, streaming, pidFile);
            LOG.info(() -> "berth " + BuildInfo.version() + " serving CRI on unix://" + socket.socket()
                    + ", cgroup " + cgroups.mode().label() + " with the " + driver.configName() + " driver"
                    + (daemon.metrics == null ? ", metrics off" : ", metrics on http://" + metricsAddress.host() + ":"
                            + daemon.metrics.port() + "/metrics"));
            return daemon;
        } catch (IOException | RuntimeException | DaemonStartException e) {
            if (metrics != null) {
                metrics.close();
            }
            if (server != null) {
                server.stop(Duration.ZERO);
            }
            if (streaming != null) {
                streaming.close();
            }
            if (images != null) {
                images.close();
            }
            socket.close();
            if (e instanceof DaemonStartException dse) {
                throw dse;
            }
            throw new DaemonStartException("cannot start serving on " + socket.socket() + ": " + e.getMessage(), e);
        }
    }

    /** The image store under {@code [image] root}, its pull events counted in {@code registry}. */
    private static ImageService openImages(BerthConfig config, CollectorRegistry registry) throws DaemonStartException {
        try {
            return ImageServices.open(ImageConfigs.from(config), new ImagePullMetrics(registry));
        } catch (RuntimeException e) {
            throw new DaemonStartException("cannot open the image store " + config.image().rootUnder(config.root())
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The OCI runtime under {@code <state>/runtime} (shims reconnected, containers kept) and the
     * pod sandboxes on it, their records reloaded from {@code <root>/sandboxes}.
     */
    private static SandboxService openSandboxes(BerthConfig config, CgroupDriver driver, PodNetwork podNetwork, ImageService images,
            ContainerEvents events) throws DaemonStartException {
        try {
            boolean systemd = driver == CgroupDriver.SYSTEMD;
            ManagedCgroups cgroups = new ManagedCgroups(systemd ? CgroupsFactory.systemd() : CgroupsFactory.detect());
            ContainerRuntime runtime = ShimRuntime.open(config.state().resolve("runtime"), cgroups, Clock.systemUTC(),
                    config.checkpoint().criuPath());
            Syscalls sys = new LinuxSyscalls();
            SandboxSettings settings = SandboxSettings.defaults(config.root(), config.state())
                    .withCgroupsPaths(systemd ? CgroupsPathStyle.SYSTEMD : CgroupsPathStyle.CGROUPFS)
                    .withMaxCheckpointBytes(config.checkpoint().maxArchiveBytes());
            return SandboxService.open(settings, runtime, cgroups, podNetwork, new StoreImages(images, sys), sys, events,
                    Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new DaemonStartException("cannot open the runtime and pod sandboxes under " + config.state() + " and "
                    + config.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pod network, with the default network written if the node has none, and the pod CIDRs
     * kubelet sent before a restart in use again. Its readiness is logged once here; CRI Status
     * asks again on every call.
     */
    private static PodNetwork startPodNetwork(BerthConfig config, PodCidrFile podCidrs) throws DaemonStartException {
        PodNetwork network;
        try {
            CniConfig cni = CniConfigs.from(config);
            network = PodNetworks.create(cni);
            StaleNetworks.release(network, cni.netnsDir());
        } catch (RuntimeException e) {
            throw new DaemonStartException("cannot set up pod networking: " + e.getMessage(), e);
        }
        try {
            network.usePodCidrs(podCidrs.load());
        } catch (RuntimeException e) {
            // pods still get addresses from the network config's own ranges; kubelet's next change fixes it
            LOG.warning(() -> "not using the saved pod CIDRs: " + e.getMessage());
        }
        NetworkStatus status = network.status();
        if (status.ready()) {
            LOG.info(() -> "pod network ready: " + status.message());
        } else {
            LOG.warning(() -> "pod network not ready (" + status.reason() + "): " + status.message());
        }
        return network;
    }

    /** The metrics port actually bound (useful when configured as an ephemeral port), or -1 when off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** The streaming server's port actually bound (useful when configured as port 0). */
    public int streamingPort() {
        return streaming.port();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping: letting calls in flight finish");
        server.stop(STOP_GRACE);
        // after the CRI server: no new URLs; sessions still open end as if their clients had gone
        streaming.close();
        sandboxes.close();
        images.close();
        if (metrics != null) {
            metrics.close();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is only informational
        }
        socket.close();
        LOG.info("stopped");
        stopped.countDown();
    }
}
