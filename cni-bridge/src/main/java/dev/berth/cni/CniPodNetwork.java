package dev.berth.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * {@link PodNetwork} over CNI plugins. One pod's attachment goes through these states, each
 * recorded before the next step so that a crash at any point leaves something
 * {@link #tearDown} (or {@link #gc} on start) can clean:
 *
 * <pre>
 *   (none) ──pin netns──▶ pinned ──cache entry, no result──▶ adding ──ADD ok, result cached──▶ added
 *     ▲                     │                                  │ ADD failed: DEL, unpin           │
 *     └─────────────────────┴──────────────────────────────────┴──────── tearDown: DEL, uncache, unpin
 * </pre>
 */
final class CniPodNetwork implements PodNetwork {
    private static final System.Logger LOG = System.getLogger(CniPodNetwork.class.getName());

    private final CniConfig config;
    private final ConfigSource configs;
    private final PluginExec exec;
    private final NetworkChain chain;
    private final ResultCache cache;
    private final NetnsPins pins;
    private final ObjectMapper json;
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private final Lock[] podLocks = new Lock[64];
    private volatile PodCidrs podCidrs = PodCidrs.NONE;

    CniPodNetwork(CniConfig config, ConfigSource configs, PluginExec exec, ResultCache cache, NetnsPins pins, ObjectMapper json) {
        this.config = config;
        this.configs = configs;
        this.exec = exec;
        this.chain = new NetworkChain(exec, json);
        this.cache = cache;
        this.pins = pins;
        this.json = json;
        for (int i = 0; i < podLocks.length; i++) {
            podLocks[i] = new ReentrantLock();
        }
    }

    @Override
    public PodNetworkResult setUp(PodNetworkRequest request) {
        String id = request.podId();
        return withPod(id, () -> {
            ConfList list = usableConfig();
            Optional<PodNetworkResult> done = alreadySetUp(id);
            if (done.isPresent()) {
                return done.get();
            }
            tearDownLocked(id); // leftovers of an earlier, interrupted setUp
            Path pin = pins.create(id);
            Attachment attachment = new Attachment(id, config.ifName(), pin.toString(), request.cniArgs(), capabilityArgs(request));
            ResultCache.Entry adding = new ResultCache.Entry(ResultCache.FORMAT, id, config.ifName(), pin.toString(),
                    attachment.cniArgs(), attachment.capabilityArgs(), list.source().toString(), list.raw(), null);
            try {
                cache.write(adding);
                JsonNode result = chain.add(list, attachment);
                PodNetworkResult up = new PodNetworkResult(CniResults.podIps(list.pluginTypes().getLast(), result), pin);
                cache.write(adding.withResult(result));
                LOG.log(Level.DEBUG, "pod {0}: network {1} up, ips {2}", id, list.name(), up.ips());
                return up;
            } catch (RuntimeException e) {
                undoSetUp(list, attachment, e);
                throw e;
            }
        });
    }

    private Optional<PodNetworkResult> alreadySetUp(String id) {
        try {
            Optional<ResultCache.Entry> entry = cache.read(id, config.ifName());
            if (entry.isPresent() && entry.get().result() != null && pins.exists(id)) {
                return Optional.of(new PodNetworkResult(CniResults.podIps("", entry.get().result()), pins.path(id)));
            }
        } catch (UncheckedIOException | CniException unusable) {
            // torn down and set up again below
        }
        return Optional.empty();
    }

    /** After a failed ADD: DEL (as the spec requires), then forget the attachment only if DEL worked. */
    private void undoSetUp(ConfList list, Attachment attachment, RuntimeException failure) {
        try {
            chain.del(list, attachment, null);
            cache.delete(attachment.containerId(), attachment.ifName());
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // the cache entry stays, so a later tearDown or gc retries DEL
        }
        try {
            pins.remove(attachment.containerId());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void tearDown(String podId) {
        PodNetworkRequest.requireValidPodId(podId);
        withPod(podId, () -> {
            tearDownLocked(podId);
            return null;
        });
    }

    /**
     * DEL with what ADD used. No cache entry means ADD never started (the entry is written
     * first), so there is nothing for plugins to undo; a corrupt entry gets DEL with the
     * current config and no prevResult.
     */
    private void tearDownLocked(String id) {
        String netns = pins.exists(id) ? pins.path(id).toString() : null;
        Optional<ResultCache.Entry> entry;
        boolean corrupt = false;
        try {
            entry = cache.read(id, config.ifName());
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "pod {0}: {1}; running DEL with the current network config", id, e.getMessage());
            entry = Optional.empty();
            corrupt = true;
        }
        if (entry.isPresent()) {
            chain.del(cachedList(entry.get()), entry.get().attachment().withNetns(netns), entry.get().result());
        } else if (corrupt) {
            chain.del(usableConfig(), new Attachment(id, config.ifName(), netns, "IgnoreUnknown=1;K8S_POD_INFRA_CONTAINER_ID=" + id,
                    json.createObjectNode()), null);
        }
        cache.delete(id, config.ifName());
        pins.remove(id);
    }

    private ConfList cachedList(ResultCache.Entry entry) {
        try {
            return ConfList.fromObject(Path.of(entry.configSource()), entry.config());
        } catch (ConfList.InvalidConfigException e) {
            throw new CniException("", CniException.RUNTIME_ERROR, "cached network config for pod " + entry.containerId() + " is unusable: " + e.getMessage());
        }
    }

    @Override
    public void check(String podId) {
        PodNetworkRequest.requireValidPodId(podId);
        withPod(podId, () -> {
            ResultCache.Entry entry = cache.read(podId, config.ifName()).filter(e -> e.result() != null)
                    .orElseThrow(() -> new CniException("", CniException.RUNTIME_ERROR, "pod " + podId + " has no network set up"));
            chain.check(cachedList(entry), entry.attachment().withNetns(pins.path(podId).toString()), entry.result());
            return null;
        });
    }

    @Override
    public void usePodCidrs(PodCidrs cidrs) {
        if (cidrs.isEmpty()) {
            return;
        }
        podCidrs = cidrs;
        if (config.writeDefaultConfig()) {
            DefaultConfList.useRanges(config.confDirs().getFirst(), config.defaultNetwork(), cidrs, json).ifPresent(file ->
                    LOG.log(Level.INFO, "the default network {0} now gives pods addresses from {1}", file, cidrs));
        }
    }

    @Override
    public NetworkStatus status() {
        ConfigSource.Loaded loaded = configs.current();
        if (loaded.list() == null) {
            return NetworkStatus.notReady(loaded.reason(), loaded.message());
        }
        ConfList list = loaded.list();
        for (ObjectNode plugin : list.plugins()) {
            List<String> types = new ArrayList<>(List.of(plugin.path("type").asText()));
            if (plugin.path("ipam").hasNonNull("type")) {
                types.add(plugin.path("ipam").path("type").asText());
            }
            for (String type : types) {
                if (exec.find(type).isEmpty()) {
                    return NetworkStatus.notReady("PluginMissing", "CNI plugin \"" + type + "\" of network " + list.name() + " (" + list.source()
                            + ") not found in " + exec.binDirsText() + "; install it or fix the network config");
                }
            }
        }
        try {
            chain.status(list);
        } catch (CniException e) {
            return NetworkStatus.notReady("PluginNotReady", e.getMessage());
        }
        return NetworkStatus.ok("network " + list.name() + " from " + list.source() + " (CNI " + list.cniVersion() + ")");
    }

    @Override
    public Set<String> gc(Set<String> livePodIds) {
        gcLock.writeLock().lock();
        try {
            Set<String> known = new TreeSet<>(pins.list());
            cache.list().forEach(e -> known.add(e.containerId()));
            Set<String> removed = new TreeSet<>();
            for (String id : known) {
                if (livePodIds.contains(id)) {
                    continue;
                }
                try {
                    tearDownLocked(id);
                    removed.add(id);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "gc: cannot tear down the network of gone pod {0}: {1}", id, e.getMessage());
                }
            }
            ConfList list = configs.current().list();
            if (list != null) {
                List<Attachment> valid = cache.list().stream().filter(e -> e.result() != null).map(ResultCache.Entry::attachment).toList();
                chain.gc(list, valid).forEach(e -> LOG.log(Level.WARNING, "gc: {0}", e.getMessage()));
            }
            return removed;
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    private ConfList usableConfig() {
        ConfigSource.Loaded loaded = configs.current();
        if (loaded.list() == null) {
            throw new CniException("", CniException.RUNTIME_ERROR, "pod network not ready (" + loaded.reason() + "): " + loaded.message());
        }
        return loaded.list();
    }

    private ObjectNode capabilityArgs(PodNetworkRequest request) {
        ObjectNode args = json.createObjectNode();
        if (!request.portMappings().isEmpty()) {
            ArrayNode ports = args.putArray("portMappings");
            for (PortMapping p : request.portMappings()) {
                ObjectNode port = ports.addObject().put("hostPort", p.hostPort()).put("containerPort", p.containerPort()).put("protocol", p.protocol());
                if (!p.hostIP().isEmpty()) {
                    port.put("hostIP", p.hostIP());
                }
            }
        }
        if (request.dns() != null) {
            ObjectNode dns = args.putObject("dns");
            request.dns().servers().forEach(dns.putArray("servers")::add);
            request.dns().searches().forEach(dns.putArray("searches")::add);
            request.dns().options().forEach(dns.putArray("options")::add);
        }
        if (request.bandwidth() != null) {
            BandwidthLimits b = request.bandwidth();
            args.putObject("bandwidth").put("ingressRate", b.ingressRate()).put("ingressBurst", b.ingressBurst())
                    .put("egressRate", b.egressRate()).put("egressBurst", b.egressBurst());
        }
        PodCidrs cidrs = podCidrs;
        if (!cidrs.isEmpty()) {
            args.set("ipRanges", cidrs.ranges()); // CNI conventions: a list of range sets
        }
        return args;
    }

    private <T> T withPod(String id, Supplier<T> action) {
        Lock podLock = podLocks[Math.floorMod(id.hashCode(), podLocks.length)];
        gcLock.readLock().lock();
        podLock.lock();
        try {
            return action.get();
        } finally {
            podLock.unlock();
            gcLock.readLock().unlock();
        }
    }
}
