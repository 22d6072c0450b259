package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.sys.RecordingSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth as docker-registry does it itself ({@code auth: htpasswd}, bcrypt), with no proxy in
 * between: the registry answers 401 with a Basic challenge and checks the password.
 */
class HtpasswdRegistryTest {
    static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    static final String USER = "alice";
    static final String PASSWORD = "correct horse";

    @TempDir
    static Path shared;
    static TestRegistry registry;
    static String ref;
    static String configDigest;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
        Assumptions.assumeTrue(Files.isExecutable(HTPASSWD), "needs /usr/bin/htpasswd (Debian package apache2-utils) for a bcrypt htpasswd file");
        Path htpasswd = shared.resolve("htpasswd");
        Process p = new ProcessBuilder(HTPASSWD.toString(), "-B", "-b", "-c", htpasswd.toString(), USER, PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("htpasswd failed: " + out);
        }
        registry = TestRegistry.start(Files.createDirectory(shared.resolve("registry")),
                TestRegistry.Options.PLAIN.htpasswd(htpasswd, USER, PASSWORD));
        TestImage image = new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("private", "p").build()));
        configDigest = Digest.sha256(image.config()).toString();
        image.push(registry, "private/app", "v1");
        ref = registry.host() + "/private/app:v1";
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theRegistryReallyWantsCredentials() throws Exception {
        var resp = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(registry.url() + "/v2/")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(401, resp.statusCode());
        assertTrue(resp.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), resp.headers().toString());
    }

    @Test
    void rightUsernameAndPasswordPull() throws Exception {
        assertEquals(configDigest, pull(PullOptions.withAuth(RegistryAuth.basic(USER, PASSWORD))).id());
    }

    @Test
    void rightCredentialsInTheAuthFieldPull() throws Exception {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertEquals(configDigest, pull(PullOptions.withAuth(new RegistryAuth("", "", auth, "", ""))).id());
    }

    @Test
    void wrongPasswordIsUnauthenticatedNamingTheRegistry() {
        assertUnauthenticated(PullOptions.withAuth(RegistryAuth.basic(USER, "wrong")));
    }

    @Test
    void unknownUserIsUnauthenticated() {
        assertUnauthenticated(PullOptions.withAuth(RegistryAuth.basic("mallory", PASSWORD)));
    }

    @Test
    void noCredentialsIsUnauthenticated() {
        assertUnauthenticated(PullOptions.ANONYMOUS);
    }

    private void assertUnauthenticated(PullOptions options) {
        ImageException e = assertThrows(ImageException.class, () -> pull(options));
        assertEquals(ImageException.Kind.UNAUTHENTICATED, e.kind(), e.toString());
        assertTrue(e.getMessage().contains(registry.host()), "names the registry: " + e.getMessage());
        assertTrue(Files.notExists(dir.resolve("store/snapshots")) || dir.resolve("store/snapshots").toFile().list().length == 0,
                "nothing unpacked");
    }

    private Image pull(PullOptions options) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs.d").resolve(registry.host()));
        Files.writeString(certs.resolve("hosts.toml"), "server = \"" + registry.url() + "\"\n");
        ImageConfig config = ImageConfig.defaults(dir.resolve("store")).withHostsDir(dir.resolve("certs.d"))
                .withRetries(1, Duration.ofMillis(10));
        FsOps ops = RegistryTestBase.ROOT ? new LinuxFsOps() : new RecordingFsOps();
        try (ImageService service = DefaultImageService.open(config, PullListener.NONE, Timing.SYSTEM, ops,
                new RecordingSyscalls())) {
            Image image = service.pull(ref, options);
            assertEquals(List.of(ref), image.repoTags());
            return image;
        }
    }
}
