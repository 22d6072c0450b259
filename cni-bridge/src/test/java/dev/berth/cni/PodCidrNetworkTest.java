package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.sys.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's pod CIDRs reaching plugins (ipRanges capability) and the default network Berth wrote. No root: script plugins, recording syscalls. */
class PodCidrNetworkTest {
    private static final String RESULT = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}],"
            + "\"ips\":[{\"address\":\"10.244.1.7/24\",\"interface\":0}]}";
    private static final PodCidrs DUAL = PodCidrs.parse("10.244.1.0/24,fd00:1::/64");
    private static final CniConfig.DefaultNetwork NET = new CniConfig.DefaultNetwork("podnet", "bt0", "10.99.0.0/24", null);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;
    private FakePlugins plugins;
    private Path confDir;

    @BeforeEach
    void setUp() throws Exception {
        plugins = new FakePlugins(dir);
        plugins.addPassThrough("main", RESULT).addPassThrough("ports", RESULT);
        confDir = Files.createDirectories(dir.resolve("net.d"));
    }

    private CniConfig config(boolean writeDefault) {
        return new CniConfig(List.of(confDir), List.of(plugins.bin), dir.resolve("netns"), dir.resolve("cache"),
                Duration.ofSeconds(10), null, null, writeDefault, NET);
    }

    private PodNetwork network(boolean writeDefault) {
        return PodNetworks.create(config(writeDefault), new RecordingSyscalls());
    }

    private ObjectNode runtimeConfigOfCall(int index) throws Exception {
        return (ObjectNode) json.readTree(plugins.stdin(index)).get("runtimeConfig");
    }

    @Test
    void pluginsWithTheIpRangesCapabilityGetThePodCidrsAsRangeSets() throws Exception {
        Files.writeString(confDir.resolve("10-k8s.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"k8s\",\"plugins\":["
                + "{\"type\":\"main\",\"capabilities\":{\"ipRanges\":true},\"ipam\":{\"type\":\"host-local\"}},"
                + "{\"type\":\"ports\",\"capabilities\":{\"portMappings\":true}}]}");
        PodNetwork network = network(false);

        network.setUp(PodNetworkRequest.of("before", "default", "web", "uid-1"));
        assertNull(runtimeConfigOfCall(0), "no pod CIDR yet: no ipRanges");

        network.usePodCidrs(DUAL);
        network.setUp(PodNetworkRequest.of("after", "default", "web", "uid-2"));
        assertEquals(json.readTree("{\"ipRanges\":[[{\"subnet\":\"10.244.1.0/24\"}],[{\"subnet\":\"fd00:1::/64\"}]]}"), runtimeConfigOfCall(2));
        assertNull(runtimeConfigOfCall(3), "ports does not declare ipRanges");

        network.usePodCidrs(PodCidrs.NONE);
        network.setUp(PodNetworkRequest.of("later", "default", "web", "uid-3"));
        assertEquals(runtimeConfigOfCall(2), runtimeConfigOfCall(4), "none changes nothing");
    }

    @Test
    void theDefaultNetworkBerthWroteGetsThePodCidrsAsItsRanges() throws Exception {
        network(true).usePodCidrs(DUAL);

        ObjectNode expected = DefaultConfList.build(NET, PodCidrs.NONE, json);
        ObjectNode ipam = (ObjectNode) expected.path("plugins").path(0).path("ipam");
        ipam.set("ranges", json.readTree("[[{\"subnet\":\"10.244.1.0/24\"}],[{\"subnet\":\"fd00:1::/64\"}]]"));
        ipam.set("routes", json.readTree("[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]"));
        assertEquals(expected, json.readTree(confDir.resolve("10-podnet.conflist").toFile()));
        assertEquals(List.of("10-podnet.conflist"), PodNetworkTest.ConfigSourceFiles.list(confDir), "no temp file left");

        network(true).usePodCidrs(PodCidrs.parse("10.244.9.0/24"));
        assertEquals(json.readTree("[[{\"subnet\":\"10.244.9.0/24\"}]]"),
                json.readTree(confDir.resolve("10-podnet.conflist").toFile()).path("plugins").path(0).path("ipam").path("ranges"),
                "a later CIDR replaces the earlier one");
    }

    @Test
    void aDefaultNetworkSomeoneEditedIsLeftAlone() throws Exception {
        network(true);
        Path file = confDir.resolve("10-podnet.conflist");
        Files.writeString(file, Files.readString(file).replace("\"ipMasq\" : true", "\"ipMasq\" : false"));
        byte[] edited = Files.readAllBytes(file);

        network(true).usePodCidrs(DUAL);

        assertArrayEquals(edited, Files.readAllBytes(file));
    }

    @Test
    void aRemovedDefaultNetworkStaysRemovedAndWithWritingOffNothingIsTouched() throws Exception {
        PodNetwork network = network(true);
        Path file = confDir.resolve("10-podnet.conflist");
        byte[] written = Files.readAllBytes(file);

        network(false).usePodCidrs(DUAL);
        assertArrayEquals(written, Files.readAllBytes(file), "writing the default network is off");

        Files.delete(file);
        network.usePodCidrs(DUAL);
        assertFalse(Files.exists(file));
    }
}
