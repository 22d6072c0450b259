package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The execution protocol of SPEC §2-3 with recording script plugins: env, stdin, order, chaining. */
class NetworkChainTest {
    private static final String MAIN_RESULT = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.5/24\"}]}";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private FakePlugins plugins;
    private NetworkChain chain;

    @BeforeEach
    void setUp() throws Exception {
        plugins = new FakePlugins(dir);
        chain = new NetworkChain(new PluginExec(List.of(plugins.bin), Duration.ofSeconds(10), 1 << 20, new LinuxSyscalls(), json), json);
    }

    private ConfList list(String version) throws Exception {
        String text = "{\"cniVersion\":\"" + version + "\",\"name\":\"testnet\",\"plugins\":["
                + "{\"type\":\"main\",\"bridge\":\"x0\",\"ipam\":{\"type\":\"host-local\"}},"
                + "{\"type\":\"ports\",\"capabilities\":{\"portMappings\":true,\"bandwidth\":false},\"keep\":[1,2]}]}";
        return ConfList.parse(Path.of("/test/10-testnet.conflist"), text.getBytes(StandardCharsets.UTF_8), json);
    }

    private Attachment attachment(String netns) throws Exception {
        ObjectNode caps = (ObjectNode) json.readTree("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}],"
                + "\"bandwidth\":{\"ingressRate\":1}}");
        return new Attachment("pod1", "eth0", netns, "IgnoreUnknown=1;K8S_POD_NAME=web", caps);
    }

    @Test
    void addRunsPluginsInOrderWithSpecEnvironmentAndChainedPrevResult() throws Exception {
        plugins.addPassThrough("main", MAIN_RESULT).addPassThrough("ports", MAIN_RESULT);
        JsonNode result = chain.add(list("1.0.0"), attachment("/run/netns/p1"));

        assertEquals(json.readTree(MAIN_RESULT), result);
        assertEquals(List.of("main ADD", "ports ADD"), plugins.calls());
        assertEquals("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=web\nCNI_COMMAND=ADD\nCNI_CONTAINERID=pod1\nCNI_IFNAME=eth0\n"
                + "CNI_NETNS=/run/netns/p1\nCNI_PATH=" + plugins.bin + "\n", plugins.env(0));
        JsonNode first = json.readTree(plugins.stdin(0));
        assertEquals(json.readTree("{\"type\":\"main\",\"bridge\":\"x0\",\"ipam\":{\"type\":\"host-local\"},\"cniVersion\":\"1.0.0\",\"name\":\"testnet\"}"), first,
                "first plugin: config plus cniVersion and name, no prevResult, no runtimeConfig");
        JsonNode second = json.readTree(plugins.stdin(1));
        assertEquals(json.readTree(MAIN_RESULT), second.get("prevResult"));
        assertFalse(second.has("capabilities"), "capabilities are not passed on");
        assertEquals(json.readTree("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}"), second.get("runtimeConfig"),
                "only capabilities the plugin declares true");
        assertEquals(json.readTree("[1,2]"), second.get("keep"), "unknown fields pass through");
    }

    @Test
    void delRunsInReverseWithTheAddResultAndNoNetnsWhenItIsGone() throws Exception {
        plugins.addPassThrough("main", MAIN_RESULT).addPassThrough("ports", MAIN_RESULT);
        chain.del(list("1.0.0"), attachment(null), json.readTree(MAIN_RESULT));

        assertEquals(List.of("ports DEL", "main DEL"), plugins.calls());
        assertFalse(plugins.env(0).contains("CNI_NETNS"), plugins.env(0));
        assertEquals(json.readTree(MAIN_RESULT), json.readTree(plugins.stdin(0)).get("prevResult"));
        assertEquals(json.readTree(MAIN_RESULT), json.readTree(plugins.stdin(1)).get("prevResult"));
    }

    @Test
    void version030ConfigsGetNoPrevResultOnDelAndNoCheck() throws Exception {
        plugins.addPassThrough("main", MAIN_RESULT).addPassThrough("ports", MAIN_RESULT);
        chain.del(list("0.3.1"), attachment("/ns"), json.readTree(MAIN_RESULT));
        chain.check(list("0.3.1"), attachment("/ns"), json.readTree(MAIN_RESULT));

        assertEquals(List.of("ports DEL", "main DEL"), plugins.calls());
        assertFalse(json.readTree(plugins.stdin(0)).has("prevResult"));
        assertEquals("0.3.1", json.readTree(plugins.stdin(0)).get("cniVersion").asText());
    }

    @Test
    void checkPassesTheAddResultToEveryPlugin() throws Exception {
        plugins.addPassThrough("main", MAIN_RESULT).addPassThrough("ports", MAIN_RESULT);
        chain.check(list("1.0.0"), attachment("/ns"), json.readTree(MAIN_RESULT));
        assertEquals(List.of("main CHECK", "ports CHECK"), plugins.calls());
        assertEquals(json.readTree(MAIN_RESULT), json.readTree(plugins.stdin(0)).get("prevResult"));
    }

    @Test
    void addStopsAtTheFirstFailingPlugin() throws Exception {
        plugins.add("main", "echo '{\"code\":11,\"msg\":\"busy\"}'; exit 1").addPassThrough("ports", MAIN_RESULT);
        CniException e = assertThrows(CniException.class, () -> chain.add(list("1.0.0"), attachment("/ns")));
        assertEquals(CniException.TRY_AGAIN_LATER, e.code());
        assertEquals(List.of("main ADD"), plugins.calls());
    }

    @Test
    void statusAndGcRunOnlyFrom110AndGcGetsValidAttachmentsWithoutAttachmentEnv() throws Exception {
        plugins.add("main", "exit 0").add("ports", "echo '{\"code\":50,\"msg\":\"no\"}'; exit 1");
        chain.status(list("1.0.0"));
        assertTrue(chain.gc(list("1.0.0"), List.of()).isEmpty());
        assertEquals(List.of(), plugins.calls());

        List<CniException> errors = chain.gc(list("1.1.0"), List.of(attachment(null)));
        assertEquals(List.of("main GC", "ports GC"), plugins.calls(), "GC continues past a failing plugin");
        assertEquals(1, errors.size());
        assertEquals(50, errors.getFirst().code());
        assertEquals("CNI_COMMAND=GC\nCNI_PATH=" + plugins.bin + "\n", plugins.env(0));
        assertEquals(json.readTree("[{\"containerID\":\"pod1\",\"ifname\":\"eth0\"}]"), json.readTree(plugins.stdin(0)).get("cni.dev/valid-attachments"));

        CniException e = assertThrows(CniException.class, () -> chain.status(list("1.1.0")));
        assertEquals(50, e.code());
        assertEquals("ports", e.plugin());
    }
}
