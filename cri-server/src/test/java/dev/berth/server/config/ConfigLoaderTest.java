package dev.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void missingDefaultFileMeansEveryDefault(@TempDir Path dir) throws Exception {
        BerthConfig config = loader.load(dir.resolve("absent.toml"), false);
        assertEquals(BerthConfig.defaults(), config);
        assertEquals(Path.of("/var/lib/berth"), config.root());
        assertEquals(Path.of("/run/berth"), config.state());
        assertEquals(Path.of("/run/berth/berth.sock"), config.grpc().socket());
        assertEquals("info", config.logLevel());
        assertEquals("auto", config.cgroup().driver());
        assertEquals(List.of(Path.of("/etc/cni/net.d")), config.cni().confDirs());
        assertEquals(List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni")), config.cni().binDirs());
        assertEquals(Path.of("/run/berth/netns"), config.cni().netnsDirUnder(config.state()));
        assertEquals(Path.of("/var/lib/berth/cni/results"), config.cni().cacheDirUnder(config.root()));
        assertEquals(60, config.cni().pluginTimeoutSeconds());
        assertEquals(1048576, config.cni().maxOutputBytes());
        assertTrue(config.cni().writeDefaultConfig());
        assertEquals(new BerthConfig.Cni.DefaultNetwork("berth", "berth0", "10.88.0.0/16"), config.cni().defaultNetwork());
    }

    @Test
    void cniKeysAndTheDefaultNetworkTableAreRead() throws Exception {
        BerthConfig config = loader.parse("c.toml", """
                state = "/srv/state"

                [cni]
                conf_dirs = ["/etc/cni/net.d", "/srv/net.d"]
                bin_dirs = ["/usr/lib/cni"]
                cache_dir = "/srv/cni-cache"
                write_default_config = false

                [cni.default_network]
                subnet = "fd00:88::/64"
                """);
        assertEquals(List.of(Path.of("/etc/cni/net.d"), Path.of("/srv/net.d")), config.cni().confDirs());
        assertEquals(List.of(Path.of("/usr/lib/cni")), config.cni().binDirs());
        assertEquals(Path.of("/srv/cni-cache"), config.cni().cacheDirUnder(config.root()));
        assertEquals(Path.of("/srv/state/netns"), config.cni().netnsDirUnder(config.state()), "empty follows state");
        assertEquals(false, config.cni().writeDefaultConfig());
        assertEquals(new BerthConfig.Cni.DefaultNetwork("berth", "berth0", "fd00:88::/64"), config.cni().defaultNetwork());
    }

    @Test
    void missingExplicitFileIsAnError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir.resolve("absent.toml"), true));
        assertTrue(e.getMessage().contains("absent.toml: config file not found"), e.getMessage());
    }

    @Test
    void keysInFileReplaceDefaultsAndOthersKeepThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, """
                root = "/srv/berth"
                log_level = "debug"

                [grpc]
                socket = "/tmp/x.sock"
                """);
        BerthConfig config = loader.load(file, true);
        assertEquals(Path.of("/srv/berth"), config.root());
        assertEquals("debug", config.logLevel());
        assertEquals(Path.of("/tmp/x.sock"), config.grpc().socket());
        assertEquals(16 * 1024 * 1024, config.grpc().maxMessageBytes());
        assertEquals(Path.of("/run/berth"), config.state());
        assertEquals("127.0.0.1:9097", config.metrics().address());
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("/etc/berth/config.toml", """
                root = "/srv/berth"

                [metrics]
                adress = "127.0.0.1:1"
                """));
        assertTrue(e.getMessage().startsWith("/etc/berth/config.toml:4: unknown key \"metrics.adress\""), e.getMessage());
        assertTrue(e.getMessage().contains("address"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void unknownTopLevelKeyNamesItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "\n\nsocket = \"/x\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:3: unknown key \"socket\""), e.getMessage());
    }

    @Test
    void unknownTableNamesItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "root = \"/r\"\n[plugins]\nx = 1\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: unknown key \"plugins\""), e.getMessage());
    }

    @Test
    void malformedTomlNamesFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "root = \"/r\"\nstate = \n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: malformed TOML"), e.getMessage());
    }

    @Test
    void numberWhereStringBelongsIsRejectedWithKeyAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cgroup]\ndriver = 5\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: bad value for key \"cgroup.driver\""), e.getMessage());
    }

    @Test
    void stringWhereNumberBelongsIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[grpc]\nmax_message_bytes = \"big\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: bad value for key \"grpc.max_message_bytes\""), e.getMessage());
    }

    @Test
    void invalidEnumerationValueNamesLineAndChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "\nlog_level = \"loud\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: log_level = \"loud\" is not one of [debug, error, info, trace, warn]"),
                e.getMessage());
    }

    @Test
    void relativePathsAreRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "state = \"run/berth\"\n"));
        assertTrue(e.getMessage().contains("state = \"run/berth\" must be an absolute path"), e.getMessage());
    }

    @Test
    void socketPathLongerThanSunPathIsRejected() {
        String longPath = "/" + "s".repeat(120);
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[grpc]\nsocket = \"" + longPath + "\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: grpc.socket is 121 bytes long"), e.getMessage());
    }

    @Test
    void badMetricsAddressIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[metrics]\naddress = \"localhost\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: metrics.address \"localhost\" is not host:port"), e.getMessage());
    }

    @Test
    void relativeCniConfDirNamesLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[cni]\nbin_dirs = [\"/usr/lib/cni\"]\nconf_dirs = [\"/etc/cni/net.d\", \"net.d\"]\n"));
        assertTrue(e.getMessage().startsWith("c.toml:3: cni.conf_dirs holds \"net.d\"; every entry must be an absolute path"), e.getMessage());
    }

    @Test
    void emptyCniBinDirsIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cni]\nbin_dirs = []\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: cni.bin_dirs is empty"), e.getMessage());
    }

    @Test
    void cniDirsGivenAsAStringInsteadOfAListAreRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cni]\nconf_dirs = \"/etc/cni/net.d\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: bad value for key \"cni.conf_dirs\""), e.getMessage());
    }

    @Test
    void nonStringInACniDirListNamesLineKeyAndPosition() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cni]\nconf_dirs = [\"/a\", 2]\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: bad value for key \"cni.conf_dirs[1]\""), e.getMessage());
    }

    @Test
    void relativeNetnsDirIsRejectedButEmptyMeansUnderState() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cni]\n\nnetns_dir = \"netns\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:3: cni.netns_dir = \"netns\" must be an absolute path, or empty"), e.getMessage());
        assertEquals(BerthConfig.defaults(), loader.parse("c.toml", "[cni]\nnetns_dir = \"\"\ncache_dir = \"\"\n"));
    }

    @Test
    void nonPositivePluginTimeoutIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cni]\nplugin_timeout_seconds = 0\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: cni.plugin_timeout_seconds = 0 must be greater than 0"), e.getMessage());
    }

    @Test
    void tinyPluginOutputCapIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[cni]\nmax_output_bytes = 100\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: cni.max_output_bytes = 100 is outside 4096-"), e.getMessage());
    }

    @Test
    void subnetThatIsNotACidrIsRejected() {
        for (String subnet : List.of("10.88.0.0", "10.88.0/16", "10.88.0.0/33", "example.com/16", "fd00::/129", "10.88.0.0/x")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> loader.parse("c.toml", "[cni]\n[cni.default_network]\nsubnet = \"" + subnet + "\"\n"), subnet);
            assertTrue(e.getMessage().startsWith("c.toml:3: cni.default_network.subnet \"" + subnet + "\""), e.getMessage());
        }
    }

    @Test
    void ipv4AndIpv6SubnetsAreAccepted() throws Exception {
        for (String subnet : List.of("10.88.0.0/16", "192.168.1.0/24", "fd00:88::/64", "2001:db8::/32")) {
            BerthConfig config = loader.parse("c.toml", "[cni.default_network]\nsubnet = \"" + subnet + "\"\n");
            assertEquals(subnet, config.cni().defaultNetwork().subnet());
        }
    }

    @Test
    void bridgeNameLongerThanAnInterfaceNameIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[cni.default_network]\nname = \"lab\"\nbridge = \"berth-bridge-0001\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:3: cni.default_network.bridge = \"berth-bridge-0001\" is not a network device name"),
                e.getMessage());
    }

    @Test
    void networkNameThatCouldLeaveTheConfDirIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[cni.default_network]\nname = \"../evil\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: cni.default_network.name = \"../evil\" must start with a letter or digit"),
                e.getMessage());
    }

    @Test
    void flagOverridesAreValidatedToo() {
        BerthConfig config = BerthConfig.defaults().withLogLevel("chatty");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.validateOverrides(config));
        assertTrue(e.getMessage().startsWith("command line: log_level = \"chatty\""), e.getMessage());
    }
}
