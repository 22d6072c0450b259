package dev.berth.runtime.shim;

import dev.berth.runtime.AttachSession;
import dev.berth.runtime.CheckpointRequest;
import dev.berth.runtime.CheckpointSupport;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.cgroup.CgroupUsage;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link ContainerRuntime} over berth-shim: one daemonized shim per container holds the
 * init, its stdio and log, and records the exit. This class keeps no state the disk does
 * not have (see {@link ContainerDir}); the only memory is one exit watcher per container,
 * a virtual thread parked on the shim's "wait" reply.
 */
public final class ShimRuntime implements ContainerRuntime {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Path root;
    private final Path shim;
    private final CgroupPlacement cgroups;
    private final Clock clock;
    private final ShimCheckpoints checkpoints;
    private final ShimSockets sockets = new ShimSockets(new LinuxSyscalls());
    private static final int SIGKILL = 9;

    private final Map<String, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
    /** Containers whose create runs now: their shim may not listen yet, which must not read as "exited". */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();
    /**
     * What was read once of each container, so kubelet's status and list polling reads no files:
     * its fixed facts, that it started (never undone) and its exit (final). Dropped at delete.
     */
    private final Map<String, ContainerFacts> facts = new ConcurrentHashMap<>();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Map<String, ExitStatus> exited = new ConcurrentHashMap<>();

    private ShimRuntime(Path root, Path shim, CgroupPlacement cgroups, Clock clock, Criu criu) {
        this.root = root;
        this.shim = shim;
        this.cgroups = cgroups;
        this.clock = clock;
        this.checkpoints = new ShimCheckpoints(criu, clock);
    }

    /** Opens the runtime state under {@code root} (created 0700), picking up containers left by an earlier daemon. */
    public static ShimRuntime open(Path root, CgroupPlacement cgroups, Clock clock) {
        return open(root, cgroups, clock, "criu");
    }

    /** As {@link #open(Path, CgroupPlacement, Clock)}, checkpointing with CRIU named by {@code criu} (a name on PATH or a path). */
    public static ShimRuntime open(Path root, CgroupPlacement cgroups, Clock clock, String criu) {
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the runtime root " + root, e);
        }
        return new ShimRuntime(root, ShimBinary.path(), cgroups, clock, new Criu(criu, clock));
    }

    @Override
    public ContainerState create(String id, Path bundle, CreateOptions options) throws InvalidSpecException {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("container id \"" + id + "\" must match " + ID.pattern());
        }
        ContainerDir dir = new ContainerDir(root.resolve(id));
        Spec spec = SpecFiles.read(bundle);
        String cgroupsPath = cgroupsPath(id, spec);
        creating.add(id); // before the directory appears, so list() never sees it half made
        try {
            Files.createDirectory(dir.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            creating.remove(id);
            throw new IllegalStateException("container " + id + " already exists");
        } catch (IOException e) {
            creating.remove(id);
            throw new UncheckedIOException("cannot create the state directory of " + id, e);
        }
        boolean created = false;
        try {
            List<Path> cgroupDirs = cgroups.create(cgroupsPath, spec.linux() == null ? null : spec.linux().resources());
            byte[] plan = LaunchPlans.forContainer(spec,
                    new LaunchContext(bundle, options.logPath(), cgroupDirs, cgroups.unified(), options.pause(), options.stdin(),
                            options.stdinOnce()));
            if (options.restoreFrom() != null) {
                plan = checkpoints.withRestore(plan, options.restoreFrom(), dir);
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("bundle", bundle.toAbsolutePath().toString());
            meta.put("created", clock.instant().toString());
            meta.put("cgroups_path", cgroupsPath);
            meta.put(ContainerFacts.OWN_PID_NS, Boolean.toString(ownsPidNamespace(spec)));
            if (options.restoreFrom() != null) {
                meta.put(ShimCheckpoints.RESTORE, options.restoreFrom().toAbsolutePath().toString());
            }
            dir.writeMeta(meta);
            ContainerDir.writeAtomic(dir.plan(), plan);
            runCreate(id, dir);
            adopt(cgroupsPath, dir, cgroupDirs, spec);
            created = true;
            creating.remove(id);
            return state(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create container " + id, e);
        } finally {
            if (!created) {
                cgroups.destroy(cgroupsPath);
                deleteTree(dir.path());
            }
            creating.remove(id);
        }
    }

    /**
     * The init is in its cgroup and waits for start: now the cgroup's owner (systemd, under that
     * driver) may take it. If that fails the init is killed, and create's cleanup removes the rest.
     */
    private void adopt(String cgroupsPath, ContainerDir dir, List<Path> cgroupDirs, Spec spec) throws IOException {
        try {
            cgroups.adopt(cgroupsPath, dir.pid(), spec.linux() == null ? null : spec.linux().resources());
        } catch (RuntimeException e) {
            CgroupProcesses.killAll(cgroupDirs, KILL_WAIT);
            throw e;
        }
    }

    private void runCreate(String id, ContainerDir dir) throws IOException {
        Process process = new ProcessBuilder(shim.toString(), "create", dir.path().toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<byte[]> err = ExecRunner.drain(process.getErrorStream(), 8192);
        CompletableFuture<byte[]> out = ExecRunner.drain(process.getInputStream(), 8192);
        try {
            if (!process.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RuntimeFailureException("creating container " + id + " took longer than " + CREATE_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while creating container " + id);
        }
        out.join();
        if (process.exitValue() != 0) {
            String reason = new String(err.join(), StandardCharsets.UTF_8).strip();
            throw new RuntimeFailureException("cannot create container " + id + ": "
                    + (reason.startsWith(ExecRunner.PREFIX) ? reason.substring(ExecRunner.PREFIX.length()) : reason));
        }
    }

    @Override
    public void start(String id) {
        ContainerDir dir = existing(id);
        String reply = control(dir, id, "start");
        if (reply == null) {
            throw new IllegalStateException("container " + id + " has exited; it cannot be started");
        }
        if (!reply.equals("ok")) {
            throw new RuntimeFailureException("cannot start container " + id + ": " + reply.replaceFirst("^error ", "")
                    + ShimCheckpoints.restoreFailure(dir));
        }
        started.add(id);
    }

    @Override
    public CheckpointSupport checkpointSupport() {
        return checkpoints.support();
    }

    @Override
    public void checkpoint(String id, CheckpointRequest request) {
        checkpoints.checkpoint(id, existing(id), state(id), request);
    }

    @Override
    public void kill(String id, int signal) {
        ContainerDir dir = existing(id);
        String reply = control(dir, id, "kill " + signal);
        if (reply != null && !reply.equals("ok")) {
            throw new RuntimeFailureException("cannot signal container " + id + ": " + reply.replaceFirst("^error ", ""));
        }
        if (signal == SIGKILL && !facts(id, dir).ownPidNamespace()) {
            // Without a PID namespace of its own the init's death does not take its children
            // along (host or pod PID namespace): SIGKILL is for every process of the container.
            CgroupProcesses.killAll(cgroupPaths(id), Duration.ZERO);
        }
    }

    /** Whether the spec gives the container a new PID namespace, whose end kills all of it. */
    private static boolean ownsPidNamespace(Spec spec) {
        return spec.linux() != null && spec.linux().namespaces() != null
                && spec.linux().namespaces().stream().anyMatch(n -> "pid".equals(n.type()) && (n.path() == null || n.path().isEmpty()));
    }

    @Override
    public void delete(String id, boolean force) {
        ContainerDir dir = new ContainerDir(root.resolve(id));
        if (!Files.isDirectory(dir.path())) {
            return;
        }
        ContainerState state = state(id);
        if (state.status() != ContainerStatus.STOPPED) {
            if (!force) {
                throw new IllegalStateException("container " + id + " is " + state.status().name().toLowerCase()
                        + "; stop it first, or delete it with force");
            }
            kill(id, 9);
            try {
                exit(id).get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new RuntimeFailureException("container " + id + " did not exit within " + KILL_WAIT.toSeconds() + " s of SIGKILL", e);
            }
        }
        String cgroupsPath = facts(id, dir).cgroupsPath();
        // Processes the init left behind (its children, in a shared PID namespace) would keep the cgroup busy.
        CgroupProcesses.killAll(cgroups.paths(cgroupsPath), KILL_WAIT);
        cgroups.destroy(cgroupsPath);
        deleteTree(dir.path());
        exits.remove(id);
        facts.remove(id);
        started.remove(id);
        exited.remove(id);
    }

    @Override
    public ContainerState state(String id) {
        ContainerDir dir = existing(id);
        if (creating.contains(id)) {
            return new ContainerState(id, ContainerStatus.CREATED, 0, null, clock.instant(), null);
        }
        try {
            ContainerFacts known = facts(id, dir);
            ExitStatus exit = exitOf(id, dir);
            if (exit != null) {
                return new ContainerState(id, ContainerStatus.STOPPED, 0, known.bundle(), known.created(), exit);
            }
            boolean running = started.contains(id) || (dir.started() && started.add(id));
            return new ContainerState(id, running ? ContainerStatus.RUNNING : ContainerStatus.CREATED, known.pid(), known.bundle(),
                    known.created(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of container " + id, e);
        }
    }

    /**
     * The container's exit, or null while it runs. A watcher still waiting means the shim lives
     * (no file to read); otherwise the shim's exit file, or, when the shim is gone without one,
     * the watcher's record of its death. Kept once known: an exit is final.
     */
    private ExitStatus exitOf(String id, ContainerDir dir) throws IOException {
        ExitStatus exit = exited.get(id);
        if (exit != null || watchedAlive(id)) {
            return exit;
        }
        exit = dir.exit();
        if (exit == null && !ShimControl.listening(sockets, dir.socket())) {
            exit = exit(id).join();
        }
        if (exit != null) {
            exited.put(id, exit);
        }
        return exit;
    }

    private ContainerFacts facts(String id, ContainerDir dir) {
        ContainerFacts known = facts.get(id);
        if (known != null) {
            return known;
        }
        try {
            known = ContainerFacts.read(id, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of container " + id, e);
        }
        if (known.pid() != 0) { // complete: the shim reported ready
            facts.put(id, known);
        }
        return known;
    }

    /**
     * An exit watcher still waiting holds a connection the shim answers only when it exits: as
     * long as it waits the shim lives, and probing its socket (a connect per status call) is not needed.
     */
    private boolean watchedAlive(String id) {
        CompletableFuture<ExitStatus> watcher = exits.get(id);
        return watcher != null && !watcher.isDone();
    }

    @Override
    public List<ContainerState> list() {
        List<ContainerState> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String id = dir.getFileName().toString();
                if (ID.matcher(id).matches() && !creating.contains(id)) {
                    all.add(state(id));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return all;
    }

    @Override
    public CompletableFuture<ExitStatus> exit(String id) {
        ContainerDir dir = existing(id);
        return exits.computeIfAbsent(id, key -> ExitWatcher.watch(dir, sockets, clock));
    }

    @Override
    public ExecResult execSync(String id, Spec.Process process, Duration timeout, int maxOutputBytes) {
        return ExecRunner.run(exec(id, process).process(), timeout, maxOutputBytes);
    }

    @Override
    public ExecProcess exec(String id, Spec.Process process) {
        ContainerDir dir = existing(id);
        ContainerState state = state(id);
        if (state.status() != ContainerStatus.RUNNING) {
            throw new IllegalStateException("container " + id + " is " + state.status().name().toLowerCase() + ", not running");
        }
        try {
            Spec spec = SpecFiles.read(state.bundle());
            Spec.Seccomp seccomp = spec.linux() == null ? null : spec.linux().seccomp();
            String name = "exec-" + UUID.randomUUID().toString().substring(0, 13);
            Path console = dir.path().resolve(name + ".sock");
            byte[] plan = ProcessPlans.forExec(process, seccomp, cgroups.paths(cgroupsPathOf(id)), console);
            Path planFile = dir.path().resolve(name + ".plan");
            ContainerDir.writeAtomic(planFile, plan);
            Process exec = new ProcessBuilder(shim.toString(), "exec", Long.toString(state.pid()), planFile.toString()).start();
            exec.onExit().thenRun(() -> {
                planFile.toFile().delete();
                console.toFile().delete();
            });
            return new ShimExec(exec, Boolean.TRUE.equals(process.terminal()) ? console : null, sockets);
        } catch (InvalidSpecException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot exec in container " + id + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot exec in container " + id, e);
        }
    }

    @Override
    public AttachSession attach(String id) throws IOException {
        ContainerDir dir = existing(id);
        if (state(id).status() == ContainerStatus.STOPPED) {
            throw new IllegalStateException("container " + id + " has exited; there is nothing to attach to");
        }
        return ShimAttach.connect(sockets, dir.path().resolve("attach.sock"));
    }

    @Override
    public void reopenLog(String id) {
        String reply = control(existing(id), id, "reopen");
        if (reply == null) {
            throw new IllegalStateException("container " + id + " is not running; its log cannot be reopened");
        }
        if (!reply.equals("ok")) {
            throw new RuntimeFailureException("cannot reopen the log of container " + id + ": " + reply.replaceFirst("^error ", ""));
        }
    }

    @Override
    public void update(String id, Spec.Resources resources) {
        ContainerState state = state(id);
        if (state.status() == ContainerStatus.STOPPED) {
            throw new IllegalStateException("container " + id + " has exited; its resources cannot be updated");
        }
        cgroups.update(cgroupsPathOf(id), resources);
    }

    @Override
    public List<Path> cgroupPaths(String id) {
        return cgroups.paths(cgroupsPathOf(id));
    }

    /** Stamped once the cgroups are read, so the time goes with the numbers (kubelet divides by it for rates). */
    @Override
    public ContainerUsage usage(String id) {
        CgroupUsage u = cgroups.usage(cgroupsPathOf(id));
        return new ContainerUsage(clock.instant(), u.cpuUsageNanos(), u.memoryWorkingSetBytes(), u.memoryUsageBytes(),
                u.memoryRssBytes(), u.memoryPageFaults(), u.memoryMajorPageFaults(), u.swapUsageBytes(), u.processes(), u.detail());
    }

    private String cgroupsPathOf(String id) {
        return facts(id, existing(id)).cgroupsPath();
    }

    private ContainerDir existing(String id) {
        Path path = root.resolve(id);
        if (!ID.matcher(id).matches() || !Files.isDirectory(path)) {
            throw new NoSuchContainerException(id);
        }
        return new ContainerDir(path);
    }

    private String control(ContainerDir dir, String id, String command) {
        try {
            return ShimControl.call(sockets, dir.socket(), command);
        } catch (IOException e) {
            throw new RuntimeFailureException("cannot reach the shim of container " + id + ": " + e.getMessage(), e);
        }
    }

    private static String cgroupsPath(String id, Spec spec) {
        String path = spec.linux() == null ? null : spec.linux().cgroupsPath();
        return path == null || path.isEmpty() ? ContainerFacts.defaultCgroupsPath(id) : path;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (UncheckedIOException | IOException e) {
                // A shim that is just exiting may remove a file under our walk; once more settles it.
                if (attempt == 3) {
                    throw new UncheckedIOException("cannot remove " + dir,
                            e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
                }
            }
        }
    }
}
