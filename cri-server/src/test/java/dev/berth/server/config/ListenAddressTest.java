package dev.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void parsesIpv4AndBracketedIpv6() throws Exception {
        assertEquals(new ListenAddress("127.0.0.1", 9097), ListenAddress.parse("127.0.0.1:9097"));
        assertEquals(new ListenAddress("::1", 80), ListenAddress.parse("[::1]:80"));
        assertEquals("[::1]:80", ListenAddress.parse("[::1]:80").toString());
    }

    @Test
    void portZeroMeansDisabled() throws Exception {
        assertTrue(ListenAddress.parse("127.0.0.1:0").disabled());
    }

    @Test
    void rejectsMissingOrBadPorts() {
        assertThrows(ConfigException.class, () -> ListenAddress.parse("127.0.0.1"));
        assertThrows(ConfigException.class, () -> ListenAddress.parse("127.0.0.1:"));
        assertThrows(ConfigException.class, () -> ListenAddress.parse("127.0.0.1:http"));
        assertThrows(ConfigException.class, () -> ListenAddress.parse("127.0.0.1:70000"));
    }
}
