package dev.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {

    @Test
    void defaultPrintoutReadsBackAsTheDefaults() throws Exception {
        String printed = ConfigPrinter.print(BerthConfig.defaults());
        assertEquals(BerthConfig.defaults(), new ConfigLoader().parse("printed", printed));
    }

    @Test
    void everyKeyHasACommentAboveIt() {
        String[] lines = ConfigPrinter.print(BerthConfig.defaults()).split("\n");
        int keys = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(" = ") || lines[i].startsWith("[")) {
                keys++;
                assertTrue(lines[i - 1].startsWith("# "), "no comment above: " + lines[i]);
            }
        }
        assertTrue(keys >= 8, "printed " + keys + " keys");
    }

    @Test
    void defaultPrintoutShowsTheCniTablesAndLists() {
        String printed = ConfigPrinter.print(BerthConfig.defaults());
        for (String line : List.of("[cni]", "conf_dirs = [\"/etc/cni/net.d\"]", "bin_dirs = [\"/opt/cni/bin\", \"/usr/lib/cni\"]",
                "netns_dir = \"\"", "cache_dir = \"\"", "plugin_timeout_seconds = 60", "max_output_bytes = 1048576",
                "write_default_config = true", "[cni.default_network]", "name = \"berth\"", "bridge = \"berth0\"",
                "subnet = \"10.88.0.0/16\"")) {
            assertTrue(printed.contains("\n" + line + "\n"), "missing " + line + " in\n" + printed);
        }
    }

    @Test
    void defaultPrintoutShowsTheImageTable() {
        String printed = ConfigPrinter.print(BerthConfig.defaults());
        for (String line : List.of("[image]", "root = \"\"", "config_path = \"/etc/berth/certs.d\"", "max_concurrent_downloads = 3",
                "stall_timeout_seconds = 60", "max_manifest_bytes = 4194304", "max_layer_bytes = 17179869184",
                "keep_compressed_layers = false", "allow_device_nodes = false", "retries = 4", "retry_backoff_millis = 500",
                "sandbox_image = \"registry.k8s.io/pause:3.10\"")) {
            assertTrue(printed.contains("\n" + line + "\n"), "missing " + line + " in\n" + printed);
        }
    }

    @Test
    void defaultPrintoutShowsTheStreamingTable() {
        String printed = ConfigPrinter.print(BerthConfig.defaults());
        for (String line : List.of("[streaming]", "address = \"127.0.0.1:0\"", "tls_cert_file = \"\"", "tls_key_file = \"\"",
                "idle_timeout_seconds = 14400", "stream_creation_timeout_seconds = 30")) {
            assertTrue(printed.contains("\n" + line + "\n"), "missing " + line + " in\n" + printed);
        }
    }

    @Test
    void changedStreamingValuesReadBack() throws Exception {
        BerthConfig config = BerthConfig.defaults().withStreaming(new BerthConfig.Streaming("0.0.0.0:10010",
                Path.of("/etc/berth/s.crt"), Path.of("/etc/berth/s.key"), 60, 1));
        assertEquals(config, new ConfigLoader().parse("printed", ConfigPrinter.print(config)));
    }

    @Test
    void changedImageValuesReadBack() throws Exception {
        BerthConfig config = BerthConfig.defaults().withImage(new BerthConfig.Image(Path.of("/srv/images"), Path.of(""), 1, 1,
                4096L, 1L << 40, true, true, 20, 0, ""));
        assertEquals(config, new ConfigLoader().parse("printed", ConfigPrinter.print(config)));
    }

    @Test
    void changedCniValuesReadBack() throws Exception {
        BerthConfig config = BerthConfig.defaults().withCni(new BerthConfig.Cni(List.of(Path.of("/a"), Path.of("/b c")),
                List.of(Path.of("/bin")), Path.of("/ns"), Path.of("/cache"), 5, 8192, false,
                new BerthConfig.Cni.DefaultNetwork("lab", "lab0", "fd00::/64")));
        assertEquals(config, new ConfigLoader().parse("printed", ConfigPrinter.print(config)));
    }

    @Test
    void changedValuesAreQuotedSoTheyReadBack() throws Exception {
        BerthConfig config = BerthConfig.defaults().withRoot(Path.of("/srv/with \"quote\" and \\ slash"));
        assertEquals(config, new ConfigLoader().parse("printed", ConfigPrinter.print(config)));
    }
}
