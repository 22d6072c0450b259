package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.sys.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from docker-registry serving HTTPS with a certificate from a test CA, trusted (or not)
 * through hosts.toml's {@code ca} and {@code skip_verify}, as containerd reads them.
 */
class TlsRegistryTest {
    @TempDir
    static Path shared;
    static TestCa ca;
    /** Certificate for IP:127.0.0.1, signed by {@link #ca}. */
    static TestRegistry registry;
    /** Certificate signed by {@link #ca} but for DNS:registry.example only. */
    static TestRegistry wrongName;
    static String ref;
    static String wrongNameRef;
    static String configDigest;

    @TempDir
    Path dir;
    final AtomicInteger retries = new AtomicInteger();
    final PullListener listener = new PullListener() {
        @Override
        public void retried(String host, String why) {
            retries.incrementAndGet();
        }
    };

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
        Assumptions.assumeTrue(TestCa.available(), "needs /usr/bin/openssl (Debian package openssl) to make a test CA");
        ca = TestCa.create(shared.resolve("ca"));
        Path[] ip = ca.issue("server-ip", "IP:127.0.0.1");
        Path[] dns = ca.issue("server-dns", "DNS:registry.example");
        registry = TestRegistry.start(Files.createDirectory(shared.resolve("tls")),
                TestRegistry.Options.PLAIN.tls(ip[0], ip[1], ca.clientContext()));
        wrongName = TestRegistry.start(Files.createDirectory(shared.resolve("wrong-name")),
                TestRegistry.Options.PLAIN.tls(dns[0], dns[1], insecureClientContext()));
        TestImage image = new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("secure", "yes").build()));
        configDigest = Digest.sha256(image.config()).toString();
        image.push(registry, "tls/app", "v1");
        image.push(wrongName, "tls/app", "v1");
        ref = registry.host() + "/tls/app:v1";
        wrongNameRef = wrongName.host() + "/tls/app:v1";
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestRegistry r : new TestRegistry[] {registry, wrongName}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void pullsWithTheCaNamedInHostsToml() throws Exception {
        hostsToml(registry, "ca = \"" + ca.certificate + "\"");
        assertEquals(configDigest, pull(ref).id());
    }

    @Test
    void caPathRelativeToTheHostsDirectoryWorksToo() throws Exception {
        Path hostDir = hostsToml(registry, "ca = \"ca.pem\"");
        Files.copy(ca.certificate, hostDir.resolve("ca.pem"));
        assertEquals(configDigest, pull(ref).id());
    }

    @Test
    void withoutTheCaThePullFailsWithACertificateErrorNamingTheRegistry() throws Exception {
        hostsToml(registry, "");
        assertUntrusted(registry, ref);
    }

    @Test
    void withNoHostsTomlTheRegistryIsUntrustedHttps() {
        ImageException e = assertThrows(ImageException.class, () -> pullWith(dir.resolve("no-such-dir"), ref));
        assertEquals(ImageException.Kind.UNAVAILABLE, e.kind(), e.toString());
        assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    }

    @Test
    void skipVerifyAcceptsTheUnknownCa() throws Exception {
        hostsToml(registry, "skip_verify = true");
        assertEquals(configDigest, pull(ref).id());
    }

    @Test
    void theCaDoesNotMakeACertificateForAnotherNameAcceptable() throws Exception {
        hostsToml(wrongName, "ca = \"" + ca.certificate + "\"");
        assertUntrusted(wrongName, wrongNameRef);
    }

    @Test
    void skipVerifyAlsoSkipsTheNameCheckAsContainerdDoes() throws Exception {
        hostsToml(wrongName, "skip_verify = true");
        assertEquals(configDigest, pull(wrongNameRef).id());
    }

    private void assertUntrusted(TestRegistry r, String reference) {
        ImageException e = assertThrows(ImageException.class, () -> pull(reference));
        assertEquals(ImageException.Kind.UNAVAILABLE, e.kind(), e.toString());
        assertTrue(e.getMessage().contains("registry " + r.host()), "names the registry: " + e.getMessage());
        assertTrue(e.getMessage().contains("TLS certificate") && e.getMessage().contains("ca = "),
                "says it is the certificate and what to do: " + e.getMessage());
        assertEquals(0, retries.get(), "a rejected certificate is not retried");
    }

    /** {@code <dir>/certs.d/127.0.0.1:PORT/hosts.toml} with one HTTPS host and {@code settings}. */
    private Path hostsToml(TestRegistry r, String settings) throws Exception {
        Path hostDir = Files.createDirectories(dir.resolve("certs.d").resolve(r.host()));
        Files.writeString(hostDir.resolve("hosts.toml"), "server = \"" + r.url() + "\"\n\n[host.\"" + r.url()
                + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n  " + settings + "\n");
        return hostDir;
    }

    private Image pull(String reference) {
        return pullWith(dir.resolve("certs.d"), reference);
    }

    private Image pullWith(Path certsD, String reference) {
        ImageConfig config = ImageConfig.defaults(dir.resolve("store")).withHostsDir(certsD)
                .withRetries(2, Duration.ofMillis(10));
        FsOps ops = RegistryTestBase.ROOT ? new LinuxFsOps() : new RecordingFsOps();
        try (ImageService service = DefaultImageService.open(config, listener, Timing.SYSTEM, ops,
                new RecordingSyscalls())) {
            Image image = service.pull(reference, PullOptions.ANONYMOUS);
            assertEquals(List.of(reference), image.repoTags());
            return image;
        }
    }

    /** The push side of {@link #wrongName}: trusts anything (the test pushes, then checks the pull side). */
    private static javax.net.ssl.SSLContext insecureClientContext() throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
