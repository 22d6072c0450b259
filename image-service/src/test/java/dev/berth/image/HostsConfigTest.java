package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsConfigTest {
    @TempDir
    Path dir;

    private void write(String host, String toml) throws Exception {
        Files.createDirectories(dir.resolve(host));
        Files.writeString(dir.resolve(host).resolve("hosts.toml"), toml);
    }

    @Test
    void acceptsTheHarnessFileAsIs() throws Exception {
        // the kind/critest harness's certs.d/docker.io/hosts.toml, verbatim
        write("docker.io", """
                # docker.io -> local harness registry (plain HTTP). "server" is the local registry
                # itself, so a missing image fails instead of falling back to the internet.
                server = "http://127.0.0.1:5000"

                [host."http://127.0.0.1:5000"]
                  capabilities = ["pull", "resolve"]
                """);
        List<RegistryHost> hosts = new HostsConfig(Optional.of(dir)).hostsFor("docker.io");
        assertEquals(1, hosts.size());
        assertEquals(URI.create("http://127.0.0.1:5000/v2"), hosts.get(0).api());
        assertEquals(Set.of("pull", "resolve"), hosts.get(0).capabilities());
    }

    @Test
    void aRegistryOnTheNodeItselfIsTriedOverHttpsThenPlainHttpAsContainerdDoes() {
        HostsConfig config = new HostsConfig(Optional.empty());
        assertEquals(List.of(URI.create("https://127.0.0.1:5000/v2"), URI.create("http://127.0.0.1:5000/v2")),
                config.hostsFor("127.0.0.1:5000").stream().map(RegistryHost::api).toList());
        assertEquals(2, config.hostsFor("localhost:5000").size());
        assertEquals(2, config.hostsFor("[::1]:5000").size());
        assertEquals(List.of(URI.create("https://registry.example:5000/v2")),
                config.hostsFor("registry.example:5000").stream().map(RegistryHost::api).toList(), "any other host: HTTPS only");
        assertEquals(1, config.hostsFor("127.example.com").size());
    }

    @Test
    void mirrorsComeFirstInFileOrderThenTheServer() throws Exception {
        write("registry.example", """
                server = "https://registry.example"
                [host."https://m1.example:8443"]
                  capabilities = ["pull"]
                  skip_verify = true
                  ca = "m1-ca.pem"
                  [host."https://m1.example:8443".header]
                    x-custom = "1"
                [host."http://m2.example/prefix"]
                  capabilities = ["pull", "resolve"]
                  override_path = true
                """);
        List<RegistryHost> hosts = new HostsConfig(Optional.of(dir)).hostsFor("registry.example");
        assertEquals(3, hosts.size());
        assertEquals(URI.create("https://m1.example:8443/v2"), hosts.get(0).api());
        assertTrue(hosts.get(0).skipVerify());
        assertEquals(List.of(dir.resolve("registry.example").resolve("m1-ca.pem")), hosts.get(0).caFiles());
        assertEquals(List.of("1"), hosts.get(0).headers().get("x-custom"));
        assertFalse(hosts.get(0).can("resolve"));
        assertEquals(URI.create("http://m2.example/prefix"), hosts.get(1).api());
        assertEquals(URI.create("https://registry.example/v2"), hosts.get(2).api());
        assertTrue(hosts.get(2).can("resolve"));
    }

    @Test
    void fallsBackToDefaultDirThenToHttpsDefaults() throws Exception {
        HostsConfig config = new HostsConfig(Optional.of(dir));
        assertEquals(URI.create("https://registry-1.docker.io/v2"), config.hostsFor("docker.io").get(0).api());
        assertEquals(URI.create("https://quay.io/v2"), config.hostsFor("quay.io").get(0).api());
        write("_default", "[host.\"http://cache.local:5000\"]\n  capabilities = [\"pull\"]\n");
        List<RegistryHost> hosts = config.hostsFor("quay.io");
        assertEquals(URI.create("http://cache.local:5000/v2"), hosts.get(0).api());
        assertEquals(URI.create("https://quay.io/v2"), hosts.get(1).api());
    }

    @Test
    void plainHttpOnlyWhereConfigured() {
        HostsConfig none = new HostsConfig(Optional.empty());
        assertEquals("https", none.hostsFor("127.0.0.1:5000").get(0).api().getScheme());
    }

    @Test
    void badUrlNamesTheFile() throws Exception {
        write("x.example", "server = \"ftp://x.example\"\n");
        ImageException e = assertThrows(ImageException.class, () -> new HostsConfig(Optional.of(dir)).hostsFor("x.example"));
        assertTrue(e.getMessage().contains("hosts.toml"), e.getMessage());
    }
}
