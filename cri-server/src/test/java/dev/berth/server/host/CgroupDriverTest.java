package dev.berth.server.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CgroupDriverTest {

    @Test
    void autoFollowsHowTheHostBooted() {
        assertEquals(CgroupDriver.SYSTEMD, CgroupDriver.resolve("auto", true));
        assertEquals(CgroupDriver.CGROUPFS, CgroupDriver.resolve("auto", false));
    }

    @Test
    void explicitDriversWin() {
        assertEquals(CgroupDriver.CGROUPFS, CgroupDriver.resolve("cgroupfs", true));
        assertEquals(CgroupDriver.SYSTEMD, CgroupDriver.resolve("systemd", false));
    }

    @Test
    void systemdIsRefusedOnAHostWithoutSystemdNamingTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CgroupDriver.SYSTEMD.checkHost(false));
        assertEquals("cgroup.driver = systemd but systemd is not running (no /run/systemd/system); set cgroup.driver to cgroupfs"
                + " or auto, and kubelet's cgroupDriver to cgroupfs", e.getMessage());
        CgroupDriver.SYSTEMD.checkHost(true);
        CgroupDriver.CGROUPFS.checkHost(false);
    }

    @Test
    void unknownDriverIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CgroupDriver.resolve("cgroupv3", false));
    }
}
