package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.berth.server.config.BerthConfig;
import dev.berth.server.host.CgroupDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonCgroupDriverTest {
    @TempDir
    Path dir;

    @Test
    void theSystemdDriverOnAHostWithoutSystemdStopsTheDaemonBeforeItServes() throws Exception {
        assumeFalse(CgroupDriver.systemdBooted(), "this host runs systemd: the driver would be usable here");
        BerthConfig config = TestConfigs.inside(dir, false).withCgroup(new BerthConfig.Cgroup("systemd"));

        DaemonStartException e = assertThrows(DaemonStartException.class, () -> Daemon.start(config));

        assertEquals("cgroup.driver = systemd but systemd is not running (no /run/systemd/system); set cgroup.driver to cgroupfs"
                + " or auto, and kubelet's cgroupDriver to cgroupfs", e.getMessage());
        assertFalse(Files.exists(config.grpc().socket()), "no socket was claimed");
    }
}
