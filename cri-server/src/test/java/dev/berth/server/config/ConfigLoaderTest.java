package dev.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void flagOverridesAreValidatedToo() {
        BerthConfig config = BerthConfig.defaults().withLogLevel("chatty");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.validateOverrides(config));
        assertTrue(e.getMessage().startsWith("command line: log_level = \"chatty\""), e.getMessage());
    }
}
