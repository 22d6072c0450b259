package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCidrsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void kubeletsCommaSeparatedFormIsParsedForOneOrTwoFamilies() {
        assertEquals(List.of("10.244.1.0/24"), PodCidrs.parse("10.244.1.0/24").cidrs());
        assertEquals(List.of("10.244.1.0/24", "fd00:1::/64"), PodCidrs.parse(" 10.244.1.0/24 , fd00:1::/64").cidrs());
        assertEquals("10.244.1.0/24,fd00:1::/64", PodCidrs.parse("10.244.1.0/24,fd00:1::/64").toString());
    }

    @Test
    void blankIsNone() {
        assertEquals(PodCidrs.NONE, PodCidrs.parse(""));
        assertEquals(PodCidrs.NONE, PodCidrs.parse("  "));
        assertTrue(PodCidrs.NONE.isEmpty());
    }

    @Test
    void badCidrsAreRefusedWithTheReason() {
        assertMessage("\"10.244.1.0\" is not a CIDR", "10.244.1.0");
        assertMessage("\"pods.example/24\" does not start with an IPv4 or IPv6 address", "pods.example/24");
        assertMessage("\"10.244.1.0/33\" needs a prefix length from 0 to 32", "10.244.1.0/33");
        assertMessage("\"\" is not a CIDR", "10.244.1.0/24,");
        assertMessage("\"10.244.1.7/24\" has host bits set; the network of prefix length 24 is 10.244.1.0/24", "10.244.1.7/24");
        assertMessage("holds more than one IPv4 network", "10.244.1.0/24,10.244.2.0/24");
        assertMessage("holds more than one IPv6 network", "fd00:1::/64,fd00:2::/64");
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PodCidrs.parse(text), text);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rangesAreOneRangeSetPerCidrAndRoutesOneDefaultPerFamily() throws Exception {
        PodCidrs cidrs = PodCidrs.parse("10.244.1.0/24,fd00:1::/64");
        assertEquals(json.readTree("[[{\"subnet\":\"10.244.1.0/24\"}],[{\"subnet\":\"fd00:1::/64\"}]]"), cidrs.ranges());
        assertEquals(json.readTree("[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]"), cidrs.defaultRoutes());
        assertEquals(json.readTree("[{\"dst\":\"::/0\"}]"), PodCidrs.parse("fd00:1::/64").defaultRoutes());
    }

    @Test
    void savedCidrsAreLoadedBack(@TempDir Path dir) {
        PodCidrFile file = new PodCidrFile(dir.resolve("cni/pod-cidrs.json"));
        assertEquals(PodCidrs.NONE, file.load(), "nothing saved yet");

        file.save(PodCidrs.parse("10.244.1.0/24,fd00:1::/64"));
        assertEquals(PodCidrs.parse("10.244.1.0/24,fd00:1::/64"), new PodCidrFile(dir.resolve("cni/pod-cidrs.json")).load());
        file.save(PodCidrs.parse("10.244.9.0/24"));
        assertEquals(PodCidrs.parse("10.244.9.0/24"), file.load());
    }

    @Test
    void aDamagedFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("pod-cidrs.json");
        PodCidrFile file = new PodCidrFile(path);
        Files.writeString(path, "{\"format\":1,\"podCidrs\":[\"10.244.1.7/24\"]}");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, file::load);
        assertTrue(e.getMessage().contains(path + " holds an invalid pod CIDR"), e.getMessage());

        Files.writeString(path, "{\"format\":2}");
        assertThrows(UncheckedIOException.class, file::load);
        Files.writeString(path, "not json");
        assertThrows(UncheckedIOException.class, file::load);
    }
}
