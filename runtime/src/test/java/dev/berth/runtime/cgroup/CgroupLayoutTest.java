package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
    private static final List<String> HYBRID = List.of(
            "25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:5 - tmpfs tmpfs ro,mode=755",
            "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:6 - cgroup2 cgroup2 rw",
            "29 25 0:26 / /sys/fs/cgroup/cpu rw,nosuid - cgroup cgroup rw,cpu",
            "30 25 0:27 / /sys/fs/cgroup/cpuacct rw,nosuid - cgroup cgroup rw,cpuacct",
            "31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory",
            "32 25 0:29 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,xattr,name=systemd");

    @Test
    void unifiedHostHasOnlyCgroup2AtTheRoot() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of(
                "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
                "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate"));
        assertEquals(CgroupLayout.Mode.UNIFIED, layout.mode());
        assertEquals(Path.of("/sys/fs/cgroup"), layout.unifiedMount());
        assertEquals(0, layout.v1Controllers().size());
    }

    @Test
    void hybridHostListsEachV1ControllerAndTheUnifiedMount() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(HYBRID);
        assertEquals(CgroupLayout.Mode.HYBRID, layout.mode());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), layout.unifiedMount());
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), layout.v1Controllers().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), layout.v1Controllers().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.v1Controllers().get("memory"));
        assertEquals(3, layout.v1Controllers().size(), "named hierarchies and options are not controllers");
        assertEquals(Set.of(), layout.unifiedControllers(), "mountinfo alone does not say what cgroup2 offers");
    }

    @Test
    void legacyHostHasNoUnifiedMount() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of(
                "29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct"));
        assertEquals(CgroupLayout.Mode.LEGACY, layout.mode());
        assertNull(layout.unifiedMount());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.v1Controllers().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.v1Controllers().get("cpuacct"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/cpu,cpuacct")), layout.hierarchies(), "co-mounted controllers are one hierarchy");
    }

    @Test
    void escapedMountPointsAreDecoded() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of(
                "26 25 0:23 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw"));
        assertEquals(Path.of("/mnt/my cgroup"), layout.unifiedMount());
    }

    @Test
    void hierarchiesAreTheV1MountsSortedThenTheUnifiedMount() {
        assertEquals(List.of(Path.of("/sys/fs/cgroup/cpu"), Path.of("/sys/fs/cgroup/cpuacct"), Path.of("/sys/fs/cgroup/memory"),
                Path.of("/sys/fs/cgroup/unified")), CgroupLayout.fromMountinfo(HYBRID).hierarchies());
    }

    @Test
    void unifiedControllersComeFromTheCgroup2Root(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("unified"));
        Files.writeString(root.resolve("unified/cgroup.controllers"), "hugetlb\n");
        CgroupLayout layout = CgroupLayout.fromMountinfo(HYBRID).under(root).withUnifiedControllersFromDisk();
        assertEquals(Set.of("hugetlb"), layout.unifiedControllers());
        assertEquals(root.resolve("unified"), layout.unifiedMount());
        assertEquals(root.resolve("memory"), layout.v1Controllers().get("memory"));
    }

    @Test
    void aCgroup2RootWithoutControllersFileOffersNone(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("unified"));
        assertEquals(Set.of(), CgroupLayout.fromMountinfo(HYBRID).under(root).withUnifiedControllersFromDisk().unifiedControllers());
    }

    @Test
    void aFakeTreeCannotStandInForMountsElsewhere(@TempDir Path root) {
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of("26 25 0:23 / /mnt/cg rw - cgroup2 cgroup2 rw"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.under(root));
        assertTrue(e.getMessage().contains("/mnt/cg"), e.getMessage());
    }

    @Test
    void thisHostsLayoutIsReadable() throws Exception {
        CgroupLayout layout = CgroupLayout.detect();
        assertTrue(layout.hasCgroups(), "a Linux build machine mounts some cgroup hierarchy: " + layout);
    }
}
