package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfListTest {
    private final ObjectMapper json = new ObjectMapper();
    private final Path file = Path.of("/etc/cni/net.d/10-x.conflist");

    private ConfList parse(String text) throws Exception {
        return ConfList.parse(file, text.getBytes(StandardCharsets.UTF_8), json);
    }

    @Test
    void singlePluginConfIsWrappedIntoAList() throws Exception {
        ConfList list = parse("{\"cniVersion\":\"0.4.0\",\"name\":\"net1\",\"type\":\"bridge\",\"bridge\":\"cni0\"}");
        assertEquals("net1", list.name());
        assertEquals("0.4.0", list.cniVersion());
        assertEquals(List.of("bridge"), list.pluginTypes());
        assertEquals("cni0", list.plugins().getFirst().get("bridge").asText());
    }

    @Test
    void highestSupportedVersionOfCniVersionsIsSelected() throws Exception {
        ConfList list = parse("{\"cniVersion\":\"0.3.1\",\"cniVersions\":[\"1.0.0\",\"1.1.0\",\"9.9.9\"],\"name\":\"n\",\"disableCheck\":true,"
                + "\"plugins\":[{\"type\":\"a\"},{\"type\":\"b\"}]}");
        assertEquals("1.1.0", list.cniVersion());
        assertTrue(list.disableCheck());
        assertEquals(List.of("a", "b"), list.pluginTypes());
    }

    @Test
    void invalidConfigsAreRefusedNamingFileAndProblem() {
        String notJson = assertThrows(ConfList.InvalidConfigException.class, () -> parse("{\"name\":")).getMessage();
        assertTrue(notJson.startsWith(file + " is not valid JSON: Unexpected end-of-input"), notJson);
        assertEquals(file + ": no supported cniVersion in [0.2.0] (Berth supports [0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0])",
                assertThrows(ConfList.InvalidConfigException.class, () -> parse("{\"cniVersion\":\"0.2.0\",\"name\":\"n\",\"type\":\"x\"}")).getMessage());
        assertEquals(file + ": \"name\" is missing or not a valid network name: \"-bad\"",
                assertThrows(ConfList.InvalidConfigException.class, () -> parse("{\"cniVersion\":\"1.0.0\",\"name\":\"-bad\",\"type\":\"x\"}")).getMessage());
        assertEquals(file + ": plugin \"type\" is missing or not a file name: \"../x\"",
                assertThrows(ConfList.InvalidConfigException.class, () -> parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"../x\"}]}")).getMessage());
        assertEquals(file + ": \"plugins\" must be a non-empty list",
                assertThrows(ConfList.InvalidConfigException.class, () -> parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[]}")).getMessage());
    }
}
