package dev.berth.sandbox;

import dev.berth.runtime.AttachSession;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.OomLimit;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory runtime: containers are states, the pause "process" exits when killed. */
final class FakeRuntime implements ContainerRuntime {
    final Map<String, ContainerState> containers = new ConcurrentHashMap<>();
    final Map<String, Spec> specs = new ConcurrentHashMap<>();
    final Map<String, CreateOptions> options = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<String, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
    RuntimeException failStart;
    /** Thrown by the next create, as the runtime does for limits the host's cgroups cannot apply. */
    RuntimeException failCreate;
    /** Thrown by update, when set. */
    RuntimeException failUpdate;
    /** What checkpointSupport() answers; checkpoint() then writes one fake image file and runs the frozen step. */
    dev.berth.runtime.CheckpointSupport checkpointSupport = dev.berth.runtime.CheckpointSupport.unavailable("no CRIU in tests");

    @Override
    public dev.berth.runtime.CheckpointSupport checkpointSupport() {
        return checkpointSupport;
    }

    @Override
    public synchronized void checkpoint(String id, dev.berth.runtime.CheckpointRequest request) {
        calls.add("checkpoint " + id);
        try {
            java.nio.file.Files.writeString(request.imagesDir().resolve("pages-1.img"), "memory of " + id);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        request.whileFrozen().run();
    }

    @Override
    public synchronized ContainerState create(String id, Path bundle, CreateOptions opts) throws InvalidSpecException {
        calls.add("create " + id);
        if (failCreate != null) {
            RuntimeException e = failCreate;
            failCreate = null;
            throw e;
        }
        if (containers.containsKey(id)) {
            throw new IllegalStateException("container " + id + " already exists");
        }
        specs.put(id, SpecFiles.read(bundle));
        options.put(id, opts);
        ContainerState state = new ContainerState(id, ContainerStatus.CREATED, 100, bundle, Instant.EPOCH, null);
        containers.put(id, state);
        return state;
    }

    @Override
    public synchronized void start(String id) {
        calls.add("start " + id);
        if (failStart != null) {
            throw failStart;
        }
        set(id, ContainerStatus.RUNNING, null);
    }

    @Override
    public synchronized void kill(String id, int signal) {
        calls.add("kill " + id + " " + signal);
        ContainerState c = state(id);
        if (c.status() != ContainerStatus.STOPPED) {
            set(id, ContainerStatus.STOPPED, new ExitStatus(128 + signal, signal, Instant.EPOCH, null));
        }
    }

    /** The pause process dies by itself. */
    void die(String id) {
        set(id, ContainerStatus.STOPPED, new ExitStatus(137, 9, Instant.EPOCH, null));
    }

    /** The container's program ends by itself with {@code code}. */
    synchronized void exitWith(String id, int code, boolean oomKilled) {
        set(id, ContainerStatus.STOPPED, new ExitStatus(code, 0, Instant.ofEpochSecond(1_800_000_000L), "", oomKilled));
    }

    /** The OOM killer ended the container at {@code limit}. */
    synchronized void oomKilled(String id, OomLimit limit) {
        set(id, ContainerStatus.STOPPED, new ExitStatus(137, 9, Instant.ofEpochSecond(1_800_000_000L), "", true, limit));
    }

    private void set(String id, ContainerStatus status, ExitStatus exit) {
        ContainerState c = state(id);
        containers.put(id, new ContainerState(id, status, status == ContainerStatus.STOPPED ? 0 : c.pid(), c.bundle(), c.createdAt(), exit));
        if (exit != null) {
            exits.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(exit);
        }
    }

    @Override
    public synchronized void delete(String id, boolean force) {
        calls.add("delete " + id);
        ContainerState c = containers.get(id);
        if (c != null && c.status() != ContainerStatus.STOPPED && !force) {
            throw new IllegalStateException("container " + id + " is running");
        }
        containers.remove(id);
        exits.remove(id);
    }

    @Override
    public ContainerState state(String id) {
        ContainerState c = containers.get(id);
        if (c == null) {
            throw new NoSuchContainerException(id);
        }
        return c;
    }

    @Override
    public List<ContainerState> list() {
        return List.copyOf(containers.values());
    }

    @Override
    public CompletableFuture<ExitStatus> exit(String id) {
        ContainerState c = state(id);
        CompletableFuture<ExitStatus> exit = exits.computeIfAbsent(id, k -> new CompletableFuture<>());
        if (c.exit() != null) {
            exit.complete(c.exit());
        }
        return exit;
    }

    @Override
    public ExecResult execSync(String id, Spec.Process process, Duration timeout, int maxOutputBytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExecProcess exec(String id, Spec.Process process) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AttachSession attach(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reopenLog(String id) {
        calls.add("reopen " + id);
    }

    @Override
    public void update(String id, Spec.Resources resources) {
        calls.add("update " + id + " " + resources);
        if (failUpdate != null) {
            throw failUpdate;
        }
    }

    @Override
    public List<Path> cgroupPaths(String id) {
        return List.of();
    }

    /** Fixed memory; CPU as set by {@link #cpu} (no cgroups here). */
    @Override
    public ContainerUsage usage(String id) {
        state(id);
        usageReads.incrementAndGet();
        long[] c = cpu.getOrDefault(id, new long[] {0, 1_000_000L});
        return new ContainerUsage(Instant.ofEpochSecond(c[0]), c[1], 4096L, 8192L, 2048L, 10L, 1L, 0L, 1L);
    }

    /** CPU readings per container: {epoch second, nanoseconds used}. */
    final Map<String, long[]> cpu = new ConcurrentHashMap<>();
    /** Reads of {@link #usage}: what a cgroup read would cost. */
    final AtomicInteger usageReads = new AtomicInteger();

    static RuntimeFailureException failure(String message) {
        return new RuntimeFailureException(message);
    }
}
