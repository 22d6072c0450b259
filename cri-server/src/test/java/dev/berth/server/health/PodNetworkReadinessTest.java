package dev.berth.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cni.NetworkStatus;
import org.junit.jupiter.api.Test;

class PodNetworkReadinessTest {

    @Test
    void readyNetworkGivesNetworkReadyWithEmptyReasonAndMessage() {
        PodNetworkReadiness check = new PodNetworkReadiness(() -> NetworkStatus.ok("network berth from /x/10-berth.conflist"));
        assertEquals(new Condition("NetworkReady", true, "", ""), check.check());
    }

    @Test
    void notReadyNetworkPassesItsReasonAndMessageOn() {
        PodNetworkReadiness check = new PodNetworkReadiness(() -> NetworkStatus.notReady("PluginMissing", "no bridge in /opt/cni/bin"));
        assertEquals(new Condition("NetworkReady", false, "PluginMissing", "no bridge in /opt/cni/bin"), check.check());
    }

    @Test
    void everyCheckAsksTheNetworkAgain() {
        NetworkStatus[] current = {NetworkStatus.notReady("NoNetworkConfig", "none")};
        PodNetworkReadiness check = new PodNetworkReadiness(() -> current[0]);
        check.check();
        current[0] = NetworkStatus.ok("");
        assertTrue(check.check().ready());
    }
}
