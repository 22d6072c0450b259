package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.OomLimit;
import dev.berth.runtime.UsageDetail;
import dev.berth.runtime.cgroup.CgroupLayout;
import dev.berth.runtime.cgroup.CgroupResources;
import dev.berth.runtime.cgroup.Cgroups;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.cgroup.MemoryLimitBelowUsageException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's limits land in its own cgroup, which its init joins before the program runs; OOM kills are recorded. */
@Tag("root")
class CgroupsRootTest {
    @TempDir
    Path dir;

    private ShimRuntime runtime;
    private Cgroups cgroups;
    private final String parent = "/berth-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates cgroups, namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        cgroups = CgroupsFactory.detect();
        runtime = ShimRuntime.open(dir.resolve("state"), new ManagedCgroups(cgroups), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
            cgroups.destroy(parent);
        }
    }

    @Test
    void limitsApplyAndTheInitJoinsItsCgroupBeforeTheProgramRuns() throws Exception {
        Path bundle = TestBundles.bundle(dir, "lim", List.of("sh", "-c", "cat /proc/self/cgroup; sleep 1000"));
        Spec spec = SpecFiles.read(bundle);
        Spec.Linux l = spec.linux();
        Spec.Resources resources = new Spec.Resources(new Spec.Memory(64L << 20, null, null, null, null),
                new Spec.Cpu(512L, 50_000L, 100_000L, null, null), new Spec.Pids(50), null, null);
        SpecFiles.write(bundle, new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), null, spec.mounts(), null,
                new Spec.Linux(l.namespaces(), null, null, null, parent + "/lim", resources, null, null, null, l.maskedPaths(),
                        l.readonlyPaths(), null)));
        runtime.create("lim", bundle, new CreateOptions(dir.resolve("lim.log"), false));
        runtime.start("lim");
        long pid = runtime.state("lim").pid();
        List<Path> dirs = cgroups.paths(parent + "/lim");
        assertFalse(dirs.isEmpty());
        for (Path d : dirs) {
            assertTrue(Files.readAllLines(d.resolve("cgroup.procs")).contains(Long.toString(pid)), "init is in " + d);
        }
        CgroupLayout layout = cgroups.layout();
        if (layout.mode() == CgroupLayout.Mode.UNIFIED) {
            Path d = dirs.get(0);
            assertEquals("67108864", Files.readString(d.resolve("memory.max")).strip());
            assertEquals("50", Files.readString(d.resolve("pids.max")).strip());
        } else {
            Path memory = dirs.stream().filter(d -> d.startsWith(layout.v1Controllers().get("memory"))).findFirst().orElseThrow();
            assertEquals("67108864", Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
            Path pids = dirs.stream().filter(d -> d.startsWith(layout.v1Controllers().get("pids"))).findFirst().orElseThrow();
            assertEquals("50", Files.readString(pids.resolve("pids.max")).strip());
        }
        Thread.sleep(200);
        List<String> seen = Files.readAllLines(dir.resolve("lim.log"));
        assertTrue(seen.stream().anyMatch(line -> line.contains(parent + "/lim")),
                "the program started inside its cgroup: " + seen);
        runtime.delete("lim", true);
        for (Path d : dirs) {
            assertFalse(Files.exists(d), "delete removed " + d);
        }
    }

    /** Creates and starts a container limited to 8 MiB of memory and no swap. */
    private void startWithSmallMemoryLimit(String id, List<String> args) throws Exception {
        long limit = 8L << 20;
        // swap = limit: no swap to escape to (skipped on hosts that do not account swap).
        start(id, args, new Spec.Resources(new Spec.Memory(limit, null, limit, null, null), null, null, null, null));
    }

    /** Creates and starts a container in {@code <parent>/<id>} with the given limits (null: none). */
    private void start(String id, List<String> args, Spec.Resources resources) throws Exception {
        startIn(parent + "/" + id, id, args, resources);
    }

    private void startIn(String cgroupsPath, String id, List<String> args, Spec.Resources resources) throws Exception {
        Path bundle = TestBundles.bundle(dir, id, args);
        Spec spec = SpecFiles.read(bundle);
        Spec.Linux l = spec.linux();
        SpecFiles.write(bundle, new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), null, spec.mounts(), null,
                new Spec.Linux(l.namespaces(), null, null, null, cgroupsPath, resources, null, null, null, l.maskedPaths(),
                        l.readonlyPaths(), null)));
        runtime.create(id, bundle, new CreateOptions(dir.resolve(id + ".log"), false));
        runtime.start(id);
    }

    /** Waits inside the container until its init made {@code file}; the timeout only bounds a broken run. */
    private void awaitFile(String id, String file) throws Exception {
        Spec.Process wait = SpecFiles.read(dir.resolve(id)).process();
        wait = new Spec.Process(false, wait.user(), List.of("sh", "-c", "while [ ! -e " + file + " ]; do sleep 0.1; done"), wait.env(),
                "/", wait.capabilities(), null, wait.noNewPrivileges(), null, null, null);
        assertEquals(0, runtime.execSync(id, wait, Duration.ofSeconds(60), 1024).exitCode());
    }

    private Path memoryDir(String cgroupsPath) {
        Path root = cgroups.layout().v1Controllers().getOrDefault("memory", cgroups.layout().unifiedMount());
        return cgroups.paths(cgroupsPath).stream().filter(d -> d.startsWith(root)).findFirst().orElseThrow();
    }

    @Test
    void aContainerKilledByTheOomKillerAtItsMemoryLimitIsOomKilled() throws Exception {
        startWithSmallMemoryLimit("oom", List.of("sh", "-c", "x=a; while true; do x=$x$x; done"));
        ExitStatus exit = runtime.exit("oom").get(60, TimeUnit.SECONDS);
        assertEquals(137, exit.code());
        assertEquals(9, exit.signal());
        assertTrue(exit.oomKilled(), "recorded as OOM-killed: " + exit);
        assertTrue(runtime.state("oom").exit().oomKilled(), "a later reader sees the same record");
        assertEquals(new OomLimit(OomLimit.Scope.CONTAINER, parent + "/oom", 8L << 20), exit.oomLimit(), "its own limit fired");
    }

    /** The pod's cgroup (the container's parent) has the limit; the container has none of its own. */
    @Test
    void aContainerKilledAtItsParentsLimitNamesTheParent() throws Exception {
        long limit = 16L << 20;
        cgroups.create(parent + "/pod", new CgroupResources(limit, limit, null, null, null, null, null, null, null, null));
        startIn(parent + "/pod/hog", "hog", List.of("sh", "-c", "x=a; while true; do x=$x$x; done"), null);
        ExitStatus exit = runtime.exit("hog").get(60, TimeUnit.SECONDS);
        assertEquals(137, exit.code());
        assertTrue(exit.oomKilled(), "recorded as OOM-killed: " + exit);
        assertEquals(new OomLimit(OomLimit.Scope.PARENT, parent + "/pod", limit), exit.oomLimit(), "the parent's limit fired");
    }

    /** v1 answers EBUSY once reclaim fails: the limit stays, the container runs on, the error says the usage. */
    @Test
    void aMemoryLimitBelowTheUsageOfARunningContainerIsRefusedAndItRunsOn() throws Exception {
        start("big", List.of("sh", "-c", "x=$(head -c 33554432 /dev/zero | tr '\\0' a); touch /tmp/ready; sleep 1000; echo ${#x}"),
                new Spec.Resources(new Spec.Memory(256L << 20, null, 256L << 20, null, null), null, null, null, null));
        awaitFile("big", "/tmp/ready");

        MemoryLimitBelowUsageException e = assertThrows(MemoryLimitBelowUsageException.class, () -> runtime.update("big",
                new Spec.Resources(new Spec.Memory(8L << 20, null, 8L << 20, null, null), null, null, null, null)));

        assertEquals(8L << 20, e.requestedBytes());
        assertTrue(e.usageBytes() > 32L << 20, "the 32 MiB string is in use: " + e.getMessage());
        assertEquals(ContainerStatus.RUNNING, runtime.state("big").status(), "not OOM-killed");
        Path memory = memoryDir(parent + "/big");
        assertEquals(Long.toString(256L << 20), Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
    }

    /**
     * A bounded fork bomb: a shell starting 100 background sleeps against a limit of 20 processes.
     * busybox's sh gives up when a fork fails, so it runs as a child of the init, which then goes on
     * without forking (a builtin and an exec) to show the container survives its bomb.
     */
    @Test
    void aPidsLimitStopsAForkBombAndTheContainerAndHostGoOn() throws Exception {
        start("bomb", List.of("sh", "-c", "sh -c 'i=0; while [ $i -lt 100 ]; do sleep 1000 & i=$((i+1)); done';"
                + " : > /tmp/bomb-done; exec sleep 1000"), new Spec.Resources(null, null, new Spec.Pids(20), null, null));
        Path done = dir.resolve("rootfs/tmp/bomb-done");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(done) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Path pids = cgroups.paths(parent + "/bomb").stream()
                .filter(d -> d.startsWith(cgroups.layout().v1Controllers().getOrDefault("pids", cgroups.layout().unifiedMount())))
                .findFirst().orElseThrow();

        String log = Files.readString(dir.resolve("bomb.log"));
        assertTrue(log.contains("can't fork"), "a fork failed: " + log);
        assertEquals("19", Files.readString(pids.resolve("pids.current")).strip(), "the init and the 18 sleeps that fit beside the bomb");
        assertTrue(Files.readString(pids.resolve("pids.events")).matches("(?s).*max [1-9].*"), "the kernel refused forks");
        assertEquals(ContainerStatus.RUNNING, runtime.state("bomb").status(), "the container lives on");
        assertEquals(0, new ProcessBuilder("true").start().waitFor(), "the host still forks");
        runtime.delete("bomb", true);
        assertFalse(Files.exists(pids), "its processes and cgroup are gone");
    }

    @Test
    void aContainerKilledBySigkillFromOutsideIsNotOomKilled() throws Exception {
        startWithSmallMemoryLimit("killed", List.of("sleep", "1000"));
        runtime.kill("killed", 9);
        ExitStatus exit = runtime.exit("killed").get(20, TimeUnit.SECONDS);
        assertEquals(137, exit.code());
        assertFalse(exit.oomKilled(), "not an OOM kill: " + exit);
    }

    @Test
    void usageOfARunningContainerShowsItsCpuMemoryAndProcesses() throws Exception {
        // An 8 MiB string in a shell variable is anonymous memory; the loop burns a little CPU. sleep is
        // not the last command, else the shell would exec it and its memory would go.
        start("use", List.of("sh", "-c", "x=$(head -c 8388608 /dev/zero | tr '\\0' a); i=0;"
                + " while [ $i -lt 20000 ]; do i=$((i+1)); done; touch /tmp/ready; sleep 1000; echo ${#x}"), null);
        awaitFile("use", "/tmp/ready");

        ContainerUsage usage = runtime.usage("use");
        assertNotNull(usage.timestamp());
        assertTrue(usage.cpuUsageNanos() > 0, "cpu used: " + usage);
        assertTrue(usage.memoryWorkingSetBytes() > 0, "memory in use: " + usage);
        assertTrue(usage.memoryRssBytes() > 0, "the string is anonymous memory: " + usage);
        assertTrue(usage.memoryUsageBytes() >= usage.memoryWorkingSetBytes(), "usage includes the working set: " + usage);
        assertTrue(usage.processes() >= 1, "the init at least: " + usage);
        UsageDetail detail = usage.detail();
        assertTrue(detail.cpuUserNanos() + detail.cpuSystemNanos() > 0, "the loop's time in user and kernel mode: " + detail);
        assertTrue(detail.memoryMaxUsageBytes() >= usage.memoryUsageBytes(), "the peak, read after the usage, is at least it: " + usage);
        assertEquals(0, detail.oomKills(), "no OOM kill: " + detail);
        assertTrue(detail.threads() >= 1, "the pids controller counts the init: " + detail);
        assertThrows(NoSuchContainerException.class, () -> runtime.usage("no-such-container"));
    }
}
