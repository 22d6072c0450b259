package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.sys.RecordingSyscalls;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod network lifecycle with script plugins and the recording syscall fake (no root):
 * ADD/DEL flow, rollback, result cache across restarts, idempotent teardown, readiness, gc.
 */
class PodNetworkTest {
    private static final String RESULT = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}],"
            + "\"ips\":[{\"address\":\"10.9.0.7/24\",\"interface\":0},{\"address\":\"fd00:9::7/64\",\"interface\":0}]}";
    private static final String CONFLIST = "{\"cniVersion\":\"1.0.0\",\"name\":\"testnet\",\"plugins\":["
            + "{\"type\":\"main\",\"ipam\":{\"type\":\"ipam\"}},{\"type\":\"ports\",\"capabilities\":{\"portMappings\":true}}]}";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private FakePlugins plugins;
    private Path confDir;
    private RecordingSyscalls sys;

    @BeforeEach
    void setUp() throws Exception {
        plugins = new FakePlugins(dir);
        plugins.addPassThrough("main", RESULT).addPassThrough("ports", RESULT).add("ipam", "exit 0");
        confDir = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(confDir.resolve("10-testnet.conflist"), CONFLIST);
        sys = new RecordingSyscalls();
    }

    private CniConfig config() {
        return new CniConfig(List.of(confDir), List.of(plugins.bin), dir.resolve("netns"), dir.resolve("cache"),
                Duration.ofSeconds(10), null, null, false, null);
    }

    private PodNetwork network() {
        return PodNetworks.create(config(), sys);
    }

    private static PodNetworkRequest request(String id) {
        return new PodNetworkRequest(id, "default", "web", "uid-1", List.of(new PortMapping(8080, 80, "TCP", "127.0.0.1")), null, null);
    }

    @Test
    void setUpPinsANetnsRunsAddAndCachesTheResult() throws Exception {
        PodNetworkResult result = network().setUp(request("pod1"));

        assertEquals(List.of(InetAddress.getByName("10.9.0.7"), InetAddress.getByName("fd00:9::7")), result.ips());
        assertEquals(dir.resolve("netns/pod1"), result.netnsPath());
        assertTrue(Files.exists(result.netnsPath()));
        assertEquals(List.of("main ADD", "ports ADD"), plugins.calls());
        assertTrue(plugins.env(0).contains("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=pod1;K8S_POD_UID=uid-1\n"), plugins.env(0));
        assertTrue(plugins.env(0).contains("CNI_NETNS=" + dir.resolve("netns/pod1") + "\n"));
        assertTrue(plugins.env(0).contains("CNI_IFNAME=eth0\n"));
        assertEquals(json.readTree("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\",\"hostIP\":\"127.0.0.1\"}]}"),
                json.readTree(plugins.stdin(1)).get("runtimeConfig"));
        JsonNode cached = json.readTree(dir.resolve("cache/pod1-eth0.json").toFile());
        assertEquals(json.readTree(RESULT), cached.get("result"));
        assertEquals(List.of("unshare 0x40000000", "mount /proc/self/task/1/ns/net " + result.netnsPath() + " null 0x1000", "linkUp lo"), sys.calls());
    }

    @Test
    void tearDownRunsDelInReverseWithTheCachedResultAndRemovesEverything() throws Exception {
        PodNetwork network = network();
        network.setUp(request("pod1"));
        plugins.clearLog();

        network.tearDown("pod1");

        assertEquals(List.of("ports DEL", "main DEL"), plugins.calls());
        assertEquals(json.readTree(RESULT), json.readTree(plugins.stdin(0)).get("prevResult"));
        assertTrue(json.readTree(plugins.stdin(0)).has("runtimeConfig"), "DEL gets the runtimeConfig ADD got");
        assertFalse(Files.exists(dir.resolve("cache/pod1-eth0.json")));
        assertFalse(Files.exists(dir.resolve("netns/pod1")));
    }

    @Test
    void tearDownTwiceAndOfAPodNeverSetUpSucceedsWithoutPluginCalls() throws Exception {
        PodNetwork network = network();
        network.setUp(request("pod1"));
        network.tearDown("pod1");
        plugins.clearLog();

        network.tearDown("pod1");
        network.tearDown("never-added");

        assertEquals(List.of(), plugins.calls());
    }

    @Test
    void tearDownAfterRestartUsesTheCachedConfigAndOmitsCniNetnsWhenTheNetnsIsGone() throws Exception {
        network().setUp(request("pod1"));
        Files.delete(dir.resolve("netns/pod1")); // the namespace vanished (reboot, manual cleanup)
        Files.writeString(confDir.resolve("10-testnet.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"other\",\"type\":\"ipam\"}");
        plugins.clearLog();

        network().tearDown("pod1"); // a new instance: the daemon restarted

        assertEquals(List.of("ports DEL", "main DEL"), plugins.calls(), "the config ADD used, not the current one");
        assertFalse(plugins.env(0).contains("CNI_NETNS"), plugins.env(0));
        assertEquals("testnet", json.readTree(plugins.stdin(0)).get("name").asText());
        assertFalse(Files.exists(dir.resolve("cache/pod1-eth0.json")));
    }

    @Test
    void failedAddSurfacesThePluginErrorAndIsRolledBack() throws Exception {
        plugins.add("ports", "[ \"$CNI_COMMAND\" = ADD ] && { echo '{\"cniVersion\":\"1.0.0\",\"code\":101,\"msg\":\"port taken\",\"details\":\"8080/tcp\"}'; exit 1; }\nexit 0");

        CniException e = assertThrows(CniException.class, () -> network().setUp(request("pod1")));

        assertEquals(101, e.code());
        assertEquals("ports", e.plugin());
        assertEquals("CNI plugin ports ADD failed with code 101: port taken (8080/tcp)", e.getMessage());
        assertEquals(List.of("main ADD", "ports ADD", "ports DEL", "main DEL"), plugins.calls());
        assertFalse(Files.exists(dir.resolve("cache/pod1-eth0.json")));
        assertFalse(Files.exists(dir.resolve("netns/pod1")));
    }

    @Test
    void hangingAddIsKilledAtTheTimeoutAndRolledBack() throws Exception {
        plugins.add("ports", "[ \"$CNI_COMMAND\" = ADD ] && sleep 60\nexit 0");
        CniConfig fast = config().withPluginTimeout(Duration.ofMillis(300));

        CniException e = assertThrows(CniException.class, () -> PodNetworks.create(fast, sys).setUp(request("pod1")));

        assertEquals(CniException.TIMEOUT, e.code());
        assertTrue(e.getMessage().startsWith("CNI plugin ports ADD did not finish within 300 ms and was killed"), e.getMessage());
        assertEquals(List.of("main ADD", "ports ADD", "ports DEL", "main DEL"), plugins.calls());
        assertFalse(Files.exists(dir.resolve("netns/pod1")));
    }

    @Test
    void addInterruptedByACrashIsDeletedWithoutPrevResultAndRedoneBySetUp() throws Exception {
        PodNetwork network = network();
        network.setUp(request("pod1"));
        Path cached = dir.resolve("cache/pod1-eth0.json");
        var entry = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(cached.toFile());
        entry.putNull("result"); // as written before ADD started
        Files.write(cached, json.writeValueAsBytes(entry));
        plugins.clearLog();

        PodNetworkResult again = network().setUp(request("pod1"));

        assertEquals(List.of("ports DEL", "main DEL", "main ADD", "ports ADD"), plugins.calls());
        assertFalse(json.readTree(plugins.stdin(0)).has("prevResult"), plugins.stdin(0));
        assertEquals(2, again.ips().size());
    }

    @Test
    void setUpOfAPodAlreadySetUpReturnsItsNetwork() throws Exception {
        PodNetwork network = network();
        PodNetworkResult first = network.setUp(request("pod1"));
        assertEquals(first, network.setUp(request("pod1")));
        assertEquals(List.of("main ADD", "ports ADD"), plugins.calls());
    }

    @Test
    void readinessNamesAMissingPluginOrIpamPlugin() throws Exception {
        assertEquals(NetworkStatus.ok("network testnet from " + confDir.resolve("10-testnet.conflist") + " (CNI 1.0.0)"), network().status());
        Files.delete(plugins.bin.resolve("ipam"));
        NetworkStatus status = network().status();
        assertEquals(new NetworkStatus(false, "PluginMissing", "CNI plugin \"ipam\" of network testnet (" + confDir.resolve("10-testnet.conflist")
                + ") not found in [" + plugins.bin + "]; install it or fix the network config"), status);
    }

    @Test
    void readinessNamesAMalformedConfigAndPicksUpTheFixWithoutRestart() throws Exception {
        PodNetwork network = network();
        Path broken = confDir.resolve("05-broken.conflist"); // sorts first, so it is the one in use
        Files.writeString(broken, "{\"cniVersion\":\"1.0.0\",\"name\":\"broken\",\"plugins\":{}}");

        NetworkStatus status = network.status();
        assertFalse(status.ready());
        assertEquals("InvalidNetworkConfig", status.reason());
        assertEquals(broken + ": \"plugins\" must be a non-empty list; fix or remove the file", status.message());
        assertThrows(CniException.class, () -> network.setUp(request("pod1")));

        Files.delete(broken);
        assertTrue(network.status().ready(), network.status().message());
    }

    @Test
    void readinessWithoutAnyConfigSaysWhereItLooked() throws Exception {
        Files.delete(confDir.resolve("10-testnet.conflist"));
        NetworkStatus status = network().status();
        assertEquals("NoNetworkConfig", status.reason());
        assertTrue(status.message().contains("in [" + confDir + "]"), status.message());
    }

    @Test
    void readinessRunsCniStatusFrom110() throws Exception {
        Files.writeString(confDir.resolve("10-testnet.conflist"), CONFLIST.replace("1.0.0", "1.1.0"));
        plugins.add("ports", "[ \"$CNI_COMMAND\" = STATUS ] && { echo '{\"code\":50,\"msg\":\"iptables unavailable\"}'; exit 1; }\nexit 0");
        NetworkStatus status = network().status();
        assertEquals(new NetworkStatus(false, "PluginNotReady", "CNI plugin ports STATUS failed with code 50: iptables unavailable"), status);
        assertEquals(List.of("main STATUS", "ports STATUS"), plugins.calls());
    }

    @Test
    void defaultNetworkIsWrittenOnlyWhenNoConfigExistsAndAllowed() throws Exception {
        Files.delete(confDir.resolve("10-testnet.conflist"));
        PodNetworks.create(config(), sys);
        assertEquals(List.of(), ConfigSourceFiles.list(confDir), "flag off: nothing written");

        CniConfig.DefaultNetwork net = new CniConfig.DefaultNetwork("podnet", "bt0", "10.99.0.0/24", dir.resolve("ipam"));
        PodNetwork network = PodNetworks.create(config().withWriteDefaultConfig(true).withDefaultNetwork(net), sys);
        assertEquals(List.of("10-podnet.conflist"), ConfigSourceFiles.list(confDir));
        assertEquals(json.readTree("""
                {"cniVersion":"1.0.0","name":"podnet","plugins":[
                  {"type":"bridge","bridge":"bt0","isGateway":true,"ipMasq":true,"hairpinMode":true,
                   "ipam":{"type":"host-local","ranges":[[{"subnet":"10.99.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"%s"}},
                  {"type":"portmap","capabilities":{"portMappings":true}}]}""".formatted(dir.resolve("ipam"))),
                json.readTree(confDir.resolve("10-podnet.conflist").toFile()));
        assertEquals("PluginMissing", network.status().reason(), "the fake bin dir has no bridge plugin");
    }

    @Test
    void gcTearsDownGonePodsAndRunsCniGcWithTheLiveOnes() throws Exception {
        Files.writeString(confDir.resolve("10-testnet.conflist"), CONFLIST.replace("1.0.0", "1.1.0"));
        PodNetwork network = network();
        network.setUp(request("live"));
        network.setUp(request("gone"));
        Files.createFile(dir.resolve("netns/stray"));
        plugins.clearLog();

        Set<String> removed = network().gc(Set.of("live"));

        assertEquals(Set.of("gone", "stray"), removed);
        assertEquals(List.of("ports DEL", "main DEL", "main GC", "ports GC"), plugins.calls());
        assertEquals(json.readTree("[{\"containerID\":\"live\",\"ifname\":\"eth0\"}]"), json.readTree(plugins.stdin(2)).get("cni.dev/valid-attachments"));
        assertTrue(Files.exists(dir.resolve("netns/live")));
        assertFalse(Files.exists(dir.resolve("netns/gone")));
        assertFalse(Files.exists(dir.resolve("netns/stray")));
    }

    @Test
    void podIdsThatCouldEscapeTheStateDirAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> request("../etc"));
        assertThrows(IllegalArgumentException.class, () -> network().tearDown("a/b"));
    }

    /** File names in a dir, sorted. */
    static final class ConfigSourceFiles {
        static List<String> list(Path dir) throws Exception {
            try (var files = Files.list(dir)) {
                return files.map(f -> f.getFileName().toString()).sorted().toList();
            }
        }
    }
}
