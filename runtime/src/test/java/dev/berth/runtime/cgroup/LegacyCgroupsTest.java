package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v1 only, cpu and cpuacct co-mounted, hugetlb on v1. */
class LegacyCgroupsTest {

    @TempDir
    Path root;

    private FakeHost host;
    private Cgroups cgroups;

    @BeforeEach
    void setUp() {
        host = FakeHost.legacy(root);
        cgroups = host.cgroups();
    }

    @Test
    void coMountedControllersShareOneDirectory() {
        List<Path> dirs = cgroups.create("/berth/c1", Limit.of().shares(256).build());

        assertEquals(CgroupLayout.Mode.LEGACY, cgroups.layout().mode());
        assertEquals(List.of("cpu,cpuacct", "cpuset", "hugetlb", "memory", "pids").stream()
                .map(h -> root.resolve(h).resolve("berth/c1")).toList(), dirs);
        assertEquals("256", host.read("cpu,cpuacct/berth/c1/cpu.shares"));
    }

    @Test
    void hugepageLimitsGoToTheV1Hierarchy() {
        cgroups.create("/berth/c1", Limit.of().hugepages("2MB", 2 * 1024 * 1024).build());
        assertEquals("2097152", host.read("hugetlb/berth/c1/hugetlb.2MB.limit_in_bytes"));
    }

    @Test
    void unifiedSettingsAreRefusedNamingTheKeysBeforeAnythingIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cgroups.create("/berth/c1",
                Limit.of().unified("memory.high", "1").unified("io.max", "8:0 rbps=1").build()));

        assertEquals("cannot apply unified (cgroup v2) settings; io.max, memory.high: this host has no cgroup v2 hierarchy (cgroup v1);"
                + " leave them out here, or run the pod on a cgroup v2 node",
                e.getMessage());
        assertFalse(Files.exists(root.resolve("memory/berth")));
    }

    @Test
    void updateRefusesUnifiedSettingsToo() {
        cgroups.create("/berth/c1", CgroupResources.none());
        assertThrows(IllegalArgumentException.class, () -> cgroups.update("/berth/c1", Limit.of().unified("pids.max", "1").build()));
        assertEquals("max", host.read("pids/berth/c1/pids.max"));
    }

    /** The public factory writes plain files: a tree that already holds the kernel's files works as is. */
    @Test
    void theFactorysPlainFileTreeTakesLimitsInPreparedFiles(@TempDir Path fake) throws IOException {
        Path dir = Files.createDirectories(fake.resolve("memory/berth/c1"));
        Files.writeString(dir.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Cgroups plain = CgroupsFactory.forRoot(fake, List.of("31 25 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"));

        assertEquals(List.of(dir), plain.create("/berth/c1", Limit.of().memory(1 << 20).build()));
        assertEquals("1048576", Files.readString(dir.resolve("memory.limit_in_bytes")));
    }

    @Test
    void aHostWithoutCgroupsIsRefusedAtTheFactory(@TempDir Path fake) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CgroupsFactory.forRoot(fake, List.of()));
        assertEquals("this host mounts no cgroup hierarchy (no cgroup or cgroup2 in /proc/self/mountinfo)", e.getMessage());
    }
}
