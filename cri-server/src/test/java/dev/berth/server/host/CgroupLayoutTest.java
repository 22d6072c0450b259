package dev.berth.server.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

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
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of(
                "25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:5 - tmpfs tmpfs ro,mode=755",
                "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:6 - cgroup2 cgroup2 rw",
                "29 25 0:26 / /sys/fs/cgroup/cpu rw,nosuid - cgroup cgroup rw,cpu",
                "30 25 0:27 / /sys/fs/cgroup/cpuacct rw,nosuid - cgroup cgroup rw,cpuacct",
                "31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory",
                "32 25 0:29 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,xattr,name=systemd"));
        assertEquals(CgroupLayout.Mode.HYBRID, layout.mode());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), layout.unifiedMount());
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), layout.v1Controllers().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), layout.v1Controllers().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.v1Controllers().get("memory"));
        assertEquals(3, layout.v1Controllers().size(), "named hierarchies and options are not controllers");
    }

    @Test
    void legacyHostHasNoUnifiedMount() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of(
                "29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct"));
        assertEquals(CgroupLayout.Mode.LEGACY, layout.mode());
        assertNull(layout.unifiedMount());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.v1Controllers().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.v1Controllers().get("cpuacct"));
    }

    @Test
    void escapedMountPointsAreDecoded() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(List.of(
                "26 25 0:23 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw"));
        assertEquals(Path.of("/mnt/my cgroup"), layout.unifiedMount());
    }
}
