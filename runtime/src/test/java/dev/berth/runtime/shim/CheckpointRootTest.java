package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.CheckpointException;
import dev.berth.runtime.CheckpointRequest;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRIU checkpoint and restore through the runtime seam, with real shims, namespaces and cgroups. */
@Tag("root")
class CheckpointRootTest {
    private static final String COUNTER = "i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done";

    @TempDir
    Path dir;

    private ShimRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        // Real cgroups: a checkpoint freezes the container's cgroup around the dump.
        runtime = ShimRuntime.open(dir.resolve("state"), new ManagedCgroups(CgroupsFactory.detect()), Clock.systemUTC(),
                TestCriu.COMMAND);
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
        }
    }

    @Test
    void aRestoredContainerCarriesOnFromTheCheckpointedMemoryWhileTheOriginalKeepsRunning() throws Exception {
        TestCriu.assumeWorking();
        runtime.create("orig", TestBundles.bundle(dir, "orig", List.of("sh", "-c", COUNTER)),
                new CreateOptions(dir.resolve("orig.log"), false));
        runtime.start("orig");
        awaitCounter("orig", 3);
        Path images = Files.createDirectories(dir.resolve("images"));
        runtime.checkpoint("orig", new CheckpointRequest(images, dir, Duration.ofSeconds(60), null));
        long atCheckpoint = lastCount("orig");
        assertEquals(ContainerStatus.RUNNING, runtime.state("orig").status());
        awaitCounter("orig", atCheckpoint + 2); // the original keeps counting

        runtime.create("copy", TestBundles.bundle(dir, "copy", List.of("sh", "-c", "echo this never runs")),
                new CreateOptions(dir.resolve("copy.log"), false, false, false, images));
        assertEquals(ContainerStatus.CREATED, runtime.state("copy").status());
        runtime.start("copy");

        assertEquals(ContainerStatus.RUNNING, runtime.state("copy").status());
        awaitCounter("copy", 1);
        long first = counts("copy").getFirst();
        assertTrue(first > 1 && first <= atCheckpoint + 1, "the copy went on from " + first + ", the checkpoint was at " + atCheckpoint);
        runtime.kill("copy", 9);
        ExitStatus exit = runtime.exit("copy").get(20, TimeUnit.SECONDS);
        assertEquals(9, exit.signal());
    }

    @Test
    void aContainerCreatedFromACheckpointButNeverStartedStopsAndGoesAway() throws Exception {
        TestCriu.assumeWorking();
        runtime.create("orig", TestBundles.bundle(dir, "orig", List.of("sh", "-c", COUNTER)), CreateOptions.defaults());
        runtime.start("orig");
        Path images = Files.createDirectories(dir.resolve("images"));
        runtime.checkpoint("orig", new CheckpointRequest(images, dir, Duration.ofSeconds(60), null));
        runtime.create("copy", TestBundles.bundle(dir, "copy", List.of("true")), new CreateOptions(null, false, false, false, images));

        runtime.kill("copy", 9);

        assertEquals(9, runtime.exit("copy").get(20, TimeUnit.SECONDS).signal());
        runtime.delete("copy", false);
        assertEquals(List.of("orig"), runtime.list().stream().map(c -> c.id()).toList());
    }

    @Test
    void aProcessExecdIntoTheContainerDoesNotStopItsCheckpoint() throws Exception {
        TestCriu.assumeWorking();
        runtime.create("orig", TestBundles.bundle(dir, "orig", List.of("sh", "-c", COUNTER)),
                new CreateOptions(dir.resolve("orig.log"), false));
        runtime.start("orig");
        Process exec = runtime.exec("orig", new Spec.Process(false, new Spec.User(0L, 0L, null, null), List.of("sleep", "30"),
                List.of("PATH=/bin"), "/", null, null, null, null, null, null)).process();
        Path images = Files.createDirectories(dir.resolve("images"));

        runtime.checkpoint("orig", new CheckpointRequest(images, dir, Duration.ofSeconds(60), null));

        assertTrue(exec.isAlive(), "the exec'd process runs on");
        assertTrue(Files.size(images.resolve("pstree.img")) > 0);
        exec.destroyForcibly();
    }

    @Test
    void aStoppedContainerIsNotCheckpointed() throws Exception {
        runtime.create("done", TestBundles.bundle(dir, "done", List.of("true")), CreateOptions.defaults());
        runtime.start("done");
        runtime.exit("done").get(20, TimeUnit.SECONDS);
        CheckpointException e = assertThrows(CheckpointException.class, () -> runtime.checkpoint("done",
                new CheckpointRequest(Files.createDirectories(dir.resolve("img")), dir, Duration.ofSeconds(10), null)));
        assertEquals(CheckpointException.Kind.NOT_CHECKPOINTABLE, e.kind());
        assertTrue(e.getMessage().contains("only a running container"), e.getMessage());
    }

    /** Waits until the container has logged a count of at least {@code atLeast}; fails after a minute without one. */
    private void awaitCounter(String id, long atLeast) throws Exception {
        Instant end = Instant.now().plusSeconds(60);
        while (lastCount(id) < atLeast) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(id + " never counted to " + atLeast + ": " + counts(id));
            }
            Thread.sleep(50);
        }
    }

    private long lastCount(String id) throws Exception {
        List<Long> all = counts(id);
        return all.isEmpty() ? 0 : all.getLast();
    }

    private List<Long> counts(String id) throws Exception {
        Path log = dir.resolve(id + ".log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(l -> l.split(" ", 4)).filter(p -> p.length == 4 && p[3].matches("\\d+"))
                .map(p -> Long.parseLong(p[3])).toList();
    }
}
