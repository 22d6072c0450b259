package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real cgroups on this host, whatever its layout. Each test works below its own
 * /berth-test-RANDOM cgroup and removes it (and any controller it enabled at the cgroup2 root).
 */
@Tag("root")
class CgroupsRootTest {
    private static final long MIB = 1024 * 1024;

    private Cgroups cgroups;
    private String parent;
    private String path;
    private Set<String> unifiedRootEnabledBefore;
    private Process sleeper;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(isRoot(), "needs root: creates real cgroups");
        cgroups = CgroupsFactory.detect();
        parent = "/berth-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        path = parent + "/c1";
        unifiedRootEnabledBefore = unifiedRootEnabled();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (cgroups == null) {
            return;
        }
        if (sleeper != null) {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        cgroups.destroy(path);
        cgroups.destroy(parent);
        for (Path root : cgroups.layout().hierarchies()) {
            assertFalse(Files.exists(CgroupPath.parse(parent).under(root)), "left behind in " + root);
        }
        Path unified = cgroups.layout().unifiedMount();
        Set<String> added = unifiedRootEnabled();
        added.removeAll(unifiedRootEnabledBefore);
        for (String controller : added) {
            Files.writeString(unified.resolve("cgroup.subtree_control"), "-" + controller);
        }
    }

    @Test
    void createdCgroupHasTheLimitsTakesAProcessAndIsRemovedByDestroy() throws Exception {
        List<Path> dirs = cgroups.create(path, Limit.of().memory(64 * MIB).shares(512).pids(100).build());

        assertEquals(cgroups.layout().hierarchies().size(), dirs.size(), "one directory per hierarchy: " + dirs);
        assertEquals(Long.toString(64 * MIB), read("memory", "memory.limit_in_bytes", "memory.max"));
        String weight = cgroups.layout().v1Controllers().containsKey("cpu") ? "512" : "20"; // shares 512 as cpu.weight
        assertEquals(weight, read("cpu", "cpu.shares", "cpu.weight"));
        assertEquals("100", read("pids", "pids.max", "pids.max"));

        sleeper = new ProcessBuilder("sleep", "600").start();
        for (Path dir : dirs) {
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sleeper.pid()));
        }
        List<String> joined = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + sleeper.pid() + "/cgroup"))) {
            String[] fields = line.split(":", 3);
            boolean controllerHierarchy = fields[1].isEmpty() ? cgroups.layout().unifiedMount() != null
                    : Set.of(fields[1].split(",")).stream().anyMatch(cgroups.layout().v1Controllers()::containsKey);
            if (controllerHierarchy) {
                assertEquals(path, fields[2], "in /proc/PID/cgroup: " + line);
                joined.add(line);
            }
        }
        assertEquals(dirs.size(), joined.size(), "the process is in the cgroup of every hierarchy: " + joined);
        assertEquals(dirs, cgroups.paths(path));

        cgroups.update(path, Limit.of().memory(128 * MIB).build());
        assertEquals(Long.toString(128 * MIB), read("memory", "memory.limit_in_bytes", "memory.max"));

        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        cgroups.destroy(path);
        dirs.forEach(dir -> assertFalse(Files.exists(dir), dir + " removed"));
        dirs.forEach(dir -> assertTrue(Files.isDirectory(dir.getParent()), dir.getParent() + " kept"));
    }

    @Test
    void hugepageLimitLandsWhereTheHostHasHugetlb() throws Exception {
        CgroupLayout layout = cgroups.layout();
        assumeTrue(layout.v1Controllers().containsKey("hugetlb") || layout.unifiedControllers().contains("hugetlb"),
                "needs the hugetlb controller");
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")), "needs 2MB huge pages");

        cgroups.create(path, Limit.of().hugepages("2MB", 4 * MIB).build());
        assertEquals("4194304", read("hugetlb", "hugetlb.2MB.limit_in_bytes", "hugetlb.2MB.max"));
    }

    /** The value of the controller's file in this test's cgroup: the v1 file where v1 has the controller, else the v2 one. */
    private String read(String controller, String v1File, String v2File) throws IOException {
        Path v1Root = cgroups.layout().v1Controllers().get(controller);
        Path file = v1Root != null ? CgroupPath.parse(path).under(v1Root).resolve(v1File)
                : CgroupPath.parse(path).under(cgroups.layout().unifiedMount()).resolve(v2File);
        return Files.readString(file).strip();
    }

    private Set<String> unifiedRootEnabled() throws IOException {
        Path unified = cgroups.layout().unifiedMount();
        return unified == null ? new HashSet<>()
                : new HashSet<>(CgroupLayout.words(Files.readString(unified.resolve("cgroup.subtree_control"))));
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
