package dev.berth.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardPortsTest {

    @Test
    void queryPortsAreRepeatedOrCommaSeparated() {
        assertEquals(List.of(80, 443, 8080), ForwardPorts.resolve("/portforward/t?port=80,443&port=8080", List.of()));
    }

    @Test
    void theTokensPortsWinOverTheQuery() {
        assertEquals(List.of(5432), ForwardPorts.resolve("/portforward/t?port=80", List.of(5432)));
    }

    @Test
    void badQueryPortsAreRefusedWithKubeletsMessages() {
        assertEquals("query parameter \"port\" is required",
                assertThrows(IllegalArgumentException.class, () -> ForwardPorts.resolve("/portforward/t", List.of())).getMessage());
        assertEquals("query parameter \"port\" cannot be empty",
                assertThrows(IllegalArgumentException.class, () -> ForwardPorts.resolve("/portforward/t?port=", List.of())).getMessage());
        assertEquals("unable to parse \"http\" as a port: strconv.ParseUint: parsing \"http\": invalid syntax",
                assertThrows(IllegalArgumentException.class, () -> ForwardPorts.resolve("/portforward/t?port=http", List.of())).getMessage());
        assertEquals("unable to parse \"65536\" as a port: strconv.ParseUint: parsing \"65536\": value out of range",
                assertThrows(IllegalArgumentException.class, () -> ForwardPorts.resolve("/portforward/t?port=65536", List.of())).getMessage());
        assertEquals("port \"0\" must be > 0",
                assertThrows(IllegalArgumentException.class, () -> ForwardPorts.resolve("/portforward/t?port=0", List.of())).getMessage());
    }
}
