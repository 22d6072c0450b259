package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NameRegistryTest {
    @Test
    void aTakenNameReturnsItsHolderAndOnlyTheHolderReleasesIt() {
        NameRegistry names = new NameRegistry();
        assertTrue(names.reserve("web_default_u_0", "id1").isEmpty());
        assertEquals(Optional.of("id1"), names.reserve("web_default_u_0", "id2"));
        names.release("web_default_u_0", "id2");
        assertEquals(Optional.of("id1"), names.holder("web_default_u_0"));
        names.release("web_default_u_0", "id1");
        assertTrue(names.reserve("web_default_u_0", "id3").isEmpty());
    }
}
