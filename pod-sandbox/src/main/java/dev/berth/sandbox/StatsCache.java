package dev.berth.sandbox;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.NoSuchContainerException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readings the stats and metrics RPCs share. kubelet calls ListContainerStats,
 * ListPodSandboxStats and ListPodSandboxMetrics back to back for every pod every ten seconds or
 * so: within {@link #FRESH} they all get one cgroup read per container (and one net/dev read per
 * pod) instead of one each, and concurrent calls wait for the same read.
 *
 * <p>A reading's CPU rate (usage_nano_cores) is over the reading before it, which is at least
 * {@link #FRESH} older (a new one is only taken once the last has expired): kubelet's polls, not
 * the RPCs within one poll, set the interval, as in containerd.
 */
final class StatsCache {
    static final Duration FRESH = Duration.ofSeconds(1);

    /** A container's cgroup reading, with its CPU use in nanocores since the reading before (-1: none before). */
    record Sample(ContainerUsage usage, long nanoCores) {
        boolean hasRate() {
            return nanoCores >= 0;
        }
    }

    /** A pod's interfaces (not loopback) as read at {@code at}; none for a host-network pod or a gone pause process. */
    record Network(Instant at, List<NetDevStats.Interface> interfaces) {}

    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Cache<String, Sample> samples;
    private final Cache<String, Network> networks;
    private final Map<String, ContainerUsage> previous = new ConcurrentHashMap<>();

    /** {@code ticker} times the expiry (monotonic); {@code clock} stamps network readings. */
    StatsCache(ContainerRuntime runtime, Clock clock, Ticker ticker) {
        this.runtime = runtime;
        this.clock = clock;
        // Run maintenance on the calling thread: nothing is handed to the common pool, and expiry is exact in tests.
        this.samples = Caffeine.newBuilder().expireAfterWrite(FRESH).ticker(ticker).executor(Runnable::run).build();
        this.networks = Caffeine.newBuilder().expireAfterWrite(FRESH).ticker(ticker).executor(Runnable::run).build();
    }

    /**
     * The container's (or pause container's) reading of this window; null when it has no cgroup to
     * read (removed, or never created). Read errors of a cgroup file count as no cgroup: stats are best effort.
     */
    Sample sampleOrNull(String id) {
        try {
            return samples.get(id, this::read);
        } catch (NoSuchContainerException | UncheckedIOException e) {
            return null;
        }
    }

    private Sample read(String id) {
        ContainerUsage now = runtime.usage(id);
        ContainerUsage before = previous.put(id, now);
        return new Sample(now, before == null ? -1 : nanoCores(before, now));
    }

    /** CPU nanoseconds per second between two readings; -1 when time did not advance or the counter went back. */
    static long nanoCores(ContainerUsage before, ContainerUsage now) {
        long elapsed = ContainerStates.nanos(now.timestamp()) - ContainerStates.nanos(before.timestamp());
        long used = now.cpuUsageNanos() - before.cpuUsageNanos();
        if (elapsed <= 0 || used < 0) {
            return -1;
        }
        return (long) ((double) used / elapsed * 1_000_000_000L);
    }

    /** The pod's network counters of this window, read in its namespace through the pause process. */
    Network network(SandboxRecord sandbox) {
        return networks.get(sandbox.id(), id -> readNetwork(sandbox));
    }

    private Network readNetwork(SandboxRecord sandbox) {
        Instant at = clock.instant();
        if (sandbox.namespaces().hostNetwork()) {
            return new Network(at, List.of());
        }
        long pid;
        try {
            pid = runtime.state(sandbox.id()).pid();
        } catch (NoSuchContainerException | UncheckedIOException e) {
            return new Network(at, List.of());
        }
        return new Network(at, pid > 0 ? NetDevStats.read(Path.of("/proc", Long.toString(pid), "net", "dev")) : List.of());
    }

    void forget(String id) {
        previous.remove(id);
        samples.invalidate(id);
        networks.invalidate(id);
    }

    /** Drops what is kept of containers and pods that are gone (those not in {@code live}). */
    void retainOnly(Collection<String> live) {
        Set<String> keep = Set.copyOf(live);
        previous.keySet().retainAll(keep);
        samples.asMap().keySet().retainAll(keep);
        networks.asMap().keySet().retainAll(keep);
    }
}
