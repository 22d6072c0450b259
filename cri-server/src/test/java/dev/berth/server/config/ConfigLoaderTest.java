package dev.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        BerthConfig.Image image = config.image();
        assertEquals(Path.of("/var/lib/berth/images"), image.rootUnder(config.root()));
        assertEquals(Path.of("/etc/berth/certs.d"), image.configPath());
        assertEquals(3, image.maxConcurrentDownloads());
        assertEquals(60, image.stallTimeoutSeconds());
        assertEquals(4194304L, image.maxManifestBytes());
        assertEquals(17179869184L, image.maxLayerBytes());
        assertEquals(false, image.keepCompressedLayers());
        assertEquals(false, image.allowDeviceNodes());
        assertEquals(4, image.retries());
        assertEquals(500, image.retryBackoffMillis());
        assertEquals("registry.k8s.io/pause:3.10", image.sandboxImage());
        BerthConfig.Streaming streaming = config.streaming();
        assertEquals("127.0.0.1:0", streaming.address());
        assertEquals(Path.of(""), streaming.tlsCertFile());
        assertEquals(Path.of(""), streaming.tlsKeyFile());
        assertFalse(streaming.tls());
        assertEquals(14400, streaming.idleTimeoutSeconds());
        assertEquals(30, streaming.streamCreationTimeoutSeconds());
    }

    @Test
    void imageKeysAreRead() throws Exception {
        BerthConfig config = loader.parse("c.toml", """
                root = "/srv/berth"

                [image]
                config_path = "/srv/certs.d"
                max_concurrent_downloads = 8
                stall_timeout_seconds = 5
                max_manifest_bytes = 65536
                max_layer_bytes = 34359738368
                keep_compressed_layers = true
                allow_device_nodes = true
                retries = 0
                retry_backoff_millis = 50
                sandbox_image = "127.0.0.1:5000/pause:3.6"
                """);
        BerthConfig.Image image = config.image();
        assertEquals(Path.of("/srv/berth/images"), image.rootUnder(config.root()), "empty root follows the berth root");
        assertEquals(new BerthConfig.Image(null, Path.of("/srv/certs.d"), 8, 5, 65536L, 34359738368L, true, true, 0, 50,
                "127.0.0.1:5000/pause:3.6"), image);
        assertEquals(Path.of("/data/images"),
                loader.parse("c.toml", "[image]\nroot = \"/data/images\"\n").image().rootUnder(config.root()));
    }

    @Test
    void badImageValuesNameLineAndKey() {
        for (String[] bad : List.of(
                new String[] {"root = \"images\"", "image.root = \"images\" must be an absolute path, or empty for <root>/images"},
                new String[] {"config_path = \"certs.d\"", "image.config_path = \"certs.d\" must be an absolute path"},
                new String[] {"max_concurrent_downloads = 0", "image.max_concurrent_downloads = 0 is outside 1-64"},
                new String[] {"stall_timeout_seconds = 0", "image.stall_timeout_seconds = 0 must be greater than 0"},
                new String[] {"max_manifest_bytes = 100", "image.max_manifest_bytes = 100 is outside 4096-268435456"},
                new String[] {"max_layer_bytes = 1000", "image.max_layer_bytes = 1000 must be at least 1048576"},
                new String[] {"retries = -1", "image.retries = -1 is outside 0-20"},
                new String[] {"retry_backoff_millis = 600000", "image.retry_backoff_millis = 600000 is outside 0-60000"},
                new String[] {"sandbox_image = \"Pause::3\"", "image.sandbox_image: invalid image reference \"Pause::3\""})) {
            ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[image]\n\n" + bad[0] + "\n"), bad[0]);
            assertTrue(e.getMessage().startsWith("c.toml:3: " + bad[1]), e.getMessage());
        }
    }

    @Test
    void emptySandboxImageAndConfigPathAreAccepted() throws Exception {
        BerthConfig config = loader.parse("c.toml", "[image]\nsandbox_image = \"\"\nconfig_path = \"\"\n");
        assertEquals("", config.image().sandboxImage());
        assertEquals(Path.of(""), config.image().configPath());
    }

    @Test
    void booleanImageKeyGivenAsAStringIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[image]\nkeep_compressed_layers = \"yes\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: bad value for key \"image.keep_compressed_layers\""), e.getMessage());
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

    @Test
    void checkpointKeysAreReadAndChecked() throws Exception {
        BerthConfig config = loader.parse("c.toml", "[checkpoint]\ncriu_path = \"/opt/criu/sbin/criu\"\nmax_archive_bytes = 1073741824\n");
        assertEquals(new BerthConfig.Checkpoint("/opt/criu/sbin/criu", 1L << 30), config.checkpoint());
        assertEquals(new BerthConfig.Checkpoint("criu", 16L << 30), BerthConfig.defaults().checkpoint());
        ConfigException relative = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[checkpoint]\ncriu_path = \"sbin/criu\"\n"));
        assertTrue(relative.getMessage().startsWith("c.toml:2: checkpoint.criu_path = \"sbin/criu\" must be a command name"),
                relative.getMessage());
        ConfigException tiny = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[checkpoint]\nmax_archive_bytes = 10\n"));
        assertTrue(tiny.getMessage().startsWith("c.toml:2: checkpoint.max_archive_bytes = 10 is outside"), tiny.getMessage());
    }

    @Test
    void streamingKeysAreRead() throws Exception {
        BerthConfig config = loader.parse("c.toml", """
                [streaming]
                address = "[::1]:10010"
                tls_cert_file = "/etc/berth/stream.crt"
                tls_key_file = "/etc/berth/stream.key"
                idle_timeout_seconds = 600
                stream_creation_timeout_seconds = 5
                """);
        assertEquals(new BerthConfig.Streaming("[::1]:10010", Path.of("/etc/berth/stream.crt"), Path.of("/etc/berth/stream.key"), 600, 5),
                config.streaming());
        assertTrue(config.streaming().tls());
    }

    @Test
    void badStreamingValuesNameLineAndKey() {
        for (String[] bad : List.of(
                new String[] {"address = \"localhost\"", "streaming.address \"localhost\" is not host:port"},
                new String[] {"address = \"127.0.0.1:70000\"", "streaming.address port 70000 in \"127.0.0.1:70000\" is outside 0-65535"},
                new String[] {"tls_cert_file = \"/etc/berth/stream.crt\"",
                    "streaming.tls_cert_file is set but streaming.tls_key_file is not; set both for HTTPS, or neither for plain HTTP"},
                new String[] {"tls_key_file = \"/etc/berth/stream.key\"",
                    "streaming.tls_key_file is set but streaming.tls_cert_file is not"},
                new String[] {"idle_timeout_seconds = 0", "streaming.idle_timeout_seconds = 0 is outside 1-604800"},
                new String[] {"stream_creation_timeout_seconds = 601", "streaming.stream_creation_timeout_seconds = 601 is outside 1-600"})) {
            ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml", "[streaming]\n\n" + bad[0] + "\n"), bad[0]);
            assertTrue(e.getMessage().startsWith("c.toml:3: " + bad[1]), e.getMessage());
        }
    }

    @Test
    void relativeTlsFilesAreRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("c.toml",
                "[streaming]\ntls_cert_file = \"/etc/berth/stream.crt\"\ntls_key_file = \"stream.key\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:3: streaming.tls_key_file = \"stream.key\" must be an absolute path, or empty for plain HTTP"),
                e.getMessage());
    }

    @Test
    void streamingTimeoutGivenAsAStringIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("c.toml", "[streaming]\nidle_timeout_seconds = \"4h\"\n"));
        assertTrue(e.getMessage().startsWith("c.toml:2: bad value for key \"streaming.idle_timeout_seconds\""), e.getMessage());
    }
}
