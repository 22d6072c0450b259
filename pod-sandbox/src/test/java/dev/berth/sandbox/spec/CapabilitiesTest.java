package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.Capability;
import dev.berth.runtime.oci.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static Spec.Capabilities caps(Capability.Builder request, boolean privileged) {
        return Capabilities.forContainer(request.build(), privileged);
    }

    @Test
    void theDefaultSetIsContainerds() {
        Spec.Capabilities c = caps(Capability.newBuilder(), false);
        assertEquals(Capabilities.DEFAULT, c.bounding());
        assertEquals(Capabilities.DEFAULT, c.effective());
        assertEquals(Capabilities.DEFAULT, c.permitted());
        assertEquals(List.of(), c.inheritable());
        assertEquals(List.of(), c.ambient());
        assertEquals(14, Capabilities.DEFAULT.size());
    }

    @Test
    void namesWorkWithOrWithoutThePrefixInAnyCase() {
        Spec.Capabilities c = caps(Capability.newBuilder().addAddCapabilities("net_admin").addAddCapabilities("CAP_SYS_TIME")
                .addDropCapabilities("MKNOD").addDropCapabilities("cap_kill"), false);
        assertTrue(c.bounding().containsAll(List.of("CAP_NET_ADMIN", "CAP_SYS_TIME")));
        assertFalse(c.effective().contains("CAP_MKNOD"));
        assertFalse(c.permitted().contains("CAP_KILL"));
    }

    @Test
    void dropAllThenAddKeepsOnlyTheAdded() {
        Spec.Capabilities c = caps(Capability.newBuilder().addDropCapabilities("ALL").addAddCapabilities("NET_BIND_SERVICE"), false);
        assertEquals(List.of("CAP_NET_BIND_SERVICE"), c.bounding());
    }

    @Test
    void addAllThenDropRemovesTheDropped() {
        Spec.Capabilities c = caps(Capability.newBuilder().addAddCapabilities("ALL").addDropCapabilities("SYS_ADMIN"), false);
        assertEquals(Capabilities.ALL.size() - 1, c.bounding().size());
        assertFalse(c.bounding().contains("CAP_SYS_ADMIN"));
    }

    @Test
    void ambientCapabilitiesGoIntoEverySet() {
        Spec.Capabilities c = caps(Capability.newBuilder().addAddAmbientCapabilities("NET_ADMIN"), false);
        for (List<String> set : List.of(c.bounding(), c.effective(), c.permitted(), c.inheritable(), c.ambient())) {
            assertTrue(set.contains("CAP_NET_ADMIN"), set.toString());
        }
        assertEquals(List.of("CAP_NET_ADMIN"), c.ambient());
    }

    @Test
    void droppingACapabilityRemovesItFromAmbientToo() {
        Spec.Capabilities c = caps(Capability.newBuilder().addAddAmbientCapabilities("NET_RAW").addDropCapabilities("NET_RAW"), false);
        assertFalse(c.bounding().contains("CAP_NET_RAW"));
        assertEquals(List.of(), c.ambient());
    }

    @Test
    void privilegedGetsEveryCapabilityAndIgnoresDrops() {
        Spec.Capabilities c = caps(Capability.newBuilder().addDropCapabilities("ALL"), true);
        assertEquals(Capabilities.ALL, c.bounding());
        assertEquals(Capabilities.ALL, c.permitted());
        assertEquals(41, Capabilities.ALL.size());
        assertEquals("CAP_CHECKPOINT_RESTORE", Capabilities.ALL.getLast());
    }

    @Test
    void unknownNamesAreRefused() {
        SpecException e = assertThrows(SpecException.class, () -> caps(Capability.newBuilder().addAddCapabilities("FLY"), false));
        assertTrue(e.getMessage().contains("add_capabilities") && e.getMessage().contains("\"FLY\""), e.getMessage());
        assertThrows(SpecException.class, () -> caps(Capability.newBuilder().addAddAmbientCapabilities("ALL"), false));
    }
}
