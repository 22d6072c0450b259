package dev.berth.image;

import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/** The {@link ImageService}: wires the store, the registry client and the puller; one lock for metadata and GC. */
final class DefaultImageService implements ImageService {
    private final StoreLayout layout;
    private final ContentStore content;
    /** Parsed image configs by image id: kubelet asks for ImageStatus of every pod's image every few seconds. */
    private final com.github.benmanes.caffeine.cache.Cache<String, ImageConfigView> configs =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1024).build();
    private final ImageRecords records;
    private final ContainerRootfs containers;
    private final GarbageCollector gc;
    private final Puller puller;
    private final RegistryTransport transport;
    private final ExecutorService layerThreads;
    private final ScheduledExecutorService watchdog;
    private final Syscalls syscalls;
    private final FsOps fsOps;
    private final boolean root;
    private final ReentrantLock lock = new ReentrantLock();

    private DefaultImageService(ImageConfig config, PullListener listener, Timing timing, FsOps fsOps, Syscalls syscalls)
            throws IOException {
        this.layout = StoreLayout.create(config.root());
        this.content = new ContentStore(layout);
        SnapshotStore snapshots = new SnapshotStore(layout);
        this.records = new ImageRecords(layout);
        this.containers = new ContainerRootfs(layout);
        this.gc = new GarbageCollector(layout, content, snapshots, records, containers);
        this.syscalls = syscalls;
        this.transport = new RegistryTransport(config, timing, listener);
        RegistryClient client = new RegistryClient(transport, new HostsConfig(config.hostsDir()), config,
                Platform.hostAmd64Level());
        this.fsOps = fsOps;
        this.root = "root".equals(System.getProperty("user.name"));
        LayerFetcher fetcher = new LayerFetcher(client, content, layout, config, timing, listener,
                new TarExtractor.Options(root, config.allowDeviceNodes(), fsOps));
        this.layerThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-layer-", 0).factory());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("berth-pull-watchdog").factory());
        this.puller = new Puller(new Puller.Deps(client, fetcher, snapshots, content, config, timing, listener,
                layerThreads, watchdog, new Semaphore(config.maxConcurrentDownloads())), this::commit);
        records.load();
        gc.cleanTmp();
        gc.collect(puller.protectedDigests());
    }

    static ImageService open(ImageConfig config, PullListener listener, Timing timing) {
        return open(config, listener, timing, new LinuxFsOps(), new LinuxSyscalls());
    }

    static DefaultImageService open(ImageConfig config, PullListener listener, Timing timing, FsOps fsOps, Syscalls syscalls) {
        try {
            return new DefaultImageService(config, listener, timing, fsOps, syscalls);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.INTERNAL, "cannot open image store " + config.root() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Image pull(String reference, PullOptions options) {
        try {
            return puller.pull(ImageRef.parse(reference), options);
        } catch (ImageException e) {
            // layers a failed pull completed belong to no image: drop them now rather than at the next GC
            collectGarbage();
            throw e;
        }
    }

    /** The end of a pull: config blob, then the record naming it, tag moved from any older image. */
    private Image commit(ImageRef ref, RegistryClient.Resolved r, byte[] configBytes, List<Digest> chainIds) throws IOException {
        Digest id = r.manifest().config().digest();
        long size = r.manifest().config().size() + r.manifest().layers().stream().mapToLong(Descriptor::size).sum();
        lock.lock();
        try {
            content.put(id, configBytes);
            List<String> names = new ArrayList<>();
            ref.tagged().ifPresent(names::add);
            names.add(ref.withDigest(r.topDigest()));
            for (String name : names) {
                Optional<ImageRecord> holder = records.byName(name);
                if (holder.isPresent() && !holder.get().id().equals(id.toString())) {
                    ImageRecord old = holder.get().withoutName(name);
                    if (old.names().isEmpty() && !old.pinned()) {
                        records.delete(old.id());
                    } else {
                        records.put(old);
                    }
                }
            }
            ImageRecord rec = records.byId(id.toString()).orElse(new ImageRecord(ImageRecord.VERSION, id.toString(),
                    List.of(), r.manifestDigest().toString(), keptLayers(r), chainIds.stream().map(Digest::toString).toList(),
                    size, false));
            for (String name : names) {
                rec = rec.withName(name);
            }
            records.put(rec);
            return toImage(rec);
        } finally {
            lock.unlock();
        }
    }

    private List<String> keptLayers(RegistryClient.Resolved r) {
        return r.manifest().layers().stream().map(l -> l.digest().toString()).toList();
    }

    @Override
    public Optional<Image> status(String reference) {
        return ImageLookup.find(records, reference).map(this::toImage);
    }

    @Override
    public List<Image> list(Optional<String> filter) {
        if (filter.isPresent() && !filter.get().isEmpty()) {
            return status(filter.get()).map(List::of).orElse(List.of());
        }
        return records.all().stream().map(this::toImage).toList();
    }

    @Override
    public void remove(String reference) {
        withLock(() -> {
            Optional<ImageRecord> rec = ImageLookup.find(records, reference);
            if (rec.isPresent()) {
                records.delete(rec.get().id());
                gc.collect(puller.protectedDigests());
            }
            return null;
        });
    }

    @Override
    public void pin(String reference, boolean pinned) {
        withLock(() -> {
            ImageRecord rec = ImageLookup.find(records, reference).orElseThrow(() -> notFound(reference));
            records.put(rec.withPinned(pinned));
            return null;
        });
    }

    @Override
    public FsUsage fsUsage() {
        try {
            long[] usage = Trees.usage(layout.root());
            return new FsUsage(layout.root(), usage[0], usage[1], System.currentTimeMillis() * 1_000_000L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Rootfs prepareRootfs(String containerId, String imageReference) {
        return withLock(() -> {
            ImageRecord rec = ImageLookup.find(records, imageReference).orElseThrow(() -> notFound(imageReference));
            return containers.prepare(containerId, rec);
        });
    }

    @Override
    public void mountRootfs(String containerId, Path target) {
        Rootfs rootfs = preparedRootfs(containerId);
        syscalls.mount("overlay", target, "overlay", 0, rootfs.mountOptions());
    }

    @Override
    public void exportRootfsDiff(String containerId, java.io.OutputStream out) {
        Rootfs rootfs = preparedRootfs(containerId);
        try {
            RootfsDiff.export(rootfs.upperDir(), out, fsOps);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.INTERNAL, "cannot export the writable layer of container "
                    + containerId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void applyRootfsDiff(String containerId, java.io.InputStream tar, long maxBytes, String what) {
        Rootfs rootfs = preparedRootfs(containerId);
        try {
            RootfsDiff.apply(rootfs.upperDir(), tar, maxBytes, root, fsOps, what);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, "cannot unpack " + what + " into the writable layer of container "
                    + containerId + ": " + e.getMessage(), e);
        }
    }

    private Rootfs preparedRootfs(String containerId) {
        return withLock(() -> containers.get(containerId)).orElseThrow(() -> new ImageException(
                ImageException.Kind.NOT_FOUND, "container " + containerId + " has no prepared rootfs"));
    }

    @Override
    public void removeRootfs(String containerId) {
        withLock(() -> {
            containers.remove(containerId);
            return null;
        });
    }

    @Override
    public GcResult collectGarbage() {
        return withLock(() -> gc.collect(puller.protectedDigests()));
    }

    private Image toImage(ImageRecord r) {
        ImageConfigView config = configs.get(r.id(), id -> readConfig(r));
        ImageUser u = config.user();
        return new Image(r.id(), r.tags(), r.digests(), r.size(), u.raw(), u.uid(), u.username(), r.pinned(), config.json());
    }

    /** An image config as status needs it; content-addressed, so a cached one never goes stale. */
    private record ImageConfigView(String json, ImageUser user) {}

    private ImageConfigView readConfig(ImageRecord r) {
        String configJson;
        try {
            configJson = content.read(r.idDigest()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("{}");
        } catch (IOException e) {
            configJson = "{}";
        }
        String user = Manifest.readJson(configJson.getBytes(StandardCharsets.UTF_8), "config " + r.id())
                .path("config").path("User").asText("");
        return new ImageConfigView(configJson, ImageUser.parse(user));
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private <T> T withLock(LockedAction<T> action) {
        lock.lock();
        try {
            return action.run();
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.INTERNAL, "image store " + layout.root() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static ImageException notFound(String reference) {
        return new ImageException(ImageException.Kind.NOT_FOUND, "image \"" + reference + "\" not found; pull it first");
    }

    @Override
    public void close() {
        layerThreads.shutdownNow();
        watchdog.shutdownNow();
        transport.close();
    }
}
