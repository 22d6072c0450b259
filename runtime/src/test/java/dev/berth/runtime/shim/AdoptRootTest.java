package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.cgroup.CgroupUsage;
import dev.berth.runtime.cgroup.Cgroups;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-over the systemd driver relies on: create passes the cgroup's owner the init's pid
 * while the init, already in its cgroup, waits for start; if the owner refuses, the container is
 * not made and nothing is left.
 */
@Tag("root")
class AdoptRootTest {
    @TempDir
    Path dir;

    private Cgroups cgroups;
    private ShimRuntime runtime;
    private final List<String> seen = new ArrayList<>();
    private RuntimeException refusal;

    /** The host's cgroups, whose adopt records what it was given and the cgroup's processes at that moment. */
    private final class Owner implements CgroupPlacement {
        private final ManagedCgroups real = new ManagedCgroups(cgroups);

        @Override
        public List<Path> create(String cgroupsPath, Spec.Resources resources) {
            return real.create(cgroupsPath, resources);
        }

        @Override
        public void adopt(String cgroupsPath, long pid, Spec.Resources resources) {
            for (Path d : real.paths(cgroupsPath)) {
                try {
                    seen.add(cgroupsPath + " " + pid + " in " + d.getFileName() + ": "
                            + Files.readAllLines(d.resolve("cgroup.procs")).contains(Long.toString(pid)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (refusal != null) {
                throw refusal;
            }
        }

        @Override
        public List<Path> paths(String cgroupsPath) {
            return real.paths(cgroupsPath);
        }

        @Override
        public void update(String cgroupsPath, Spec.Resources resources) {
            real.update(cgroupsPath, resources);
        }

        @Override
        public void destroy(String cgroupsPath) {
            real.destroy(cgroupsPath);
        }

        @Override
        public CgroupUsage usage(String cgroupsPath) {
            return real.usage(cgroupsPath);
        }

        @Override
        public boolean unified() {
            return real.unified();
        }
    }

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates cgroups, namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        cgroups = CgroupsFactory.detect();
        runtime = ShimRuntime.open(dir.resolve("state"), new Owner(), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
            cgroups.destroy("/berth-test");
        }
    }

    @Test
    void theOwnerGetsTheInitsPidOnceTheInitIsInEveryDirectoryOfItsCgroup() throws Exception {
        Path bundle = TestBundles.bundle(dir, "adopted", List.of("sleep", "1000"));

        runtime.create("adopted", bundle, new CreateOptions(dir.resolve("adopted.log"), false));

        long pid = runtime.state("adopted").pid();
        assertTrue(pid > 0);
        assertFalse(seen.isEmpty());
        for (String line : seen) {
            assertTrue(line.startsWith("/berth-test/adopted " + pid + " in ") && line.endsWith(": true"), seen.toString());
        }
    }

    @Test
    void anOwnerThatRefusesFailsCreateAndLeavesNoContainerNorCgroup() throws Exception {
        Path bundle = TestBundles.bundle(dir, "refused", List.of("sleep", "1000"));
        refusal = new IllegalStateException("systemd said no");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runtime.create("refused", bundle, new CreateOptions(dir.resolve("refused.log"), false)));

        assertSame(refusal, e);
        assertEquals(List.of(), runtime.list());
        assertFalse(Files.exists(dir.resolve("state/refused")), "the container's state directory is gone");
        assertThrows(UncheckedIOException.class, () -> cgroups.paths("/berth-test/refused"), "the cgroup is gone");
    }
}
