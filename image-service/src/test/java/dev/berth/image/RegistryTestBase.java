package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.sys.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real registry (Debian's docker-registry) behind a counting, fault-injecting proxy, and a
 * fresh image service per test. Images are built by the tests; the registry host "test.local"
 * is mapped to the proxy by a hosts.toml, as an operator would map a mirror.
 */
abstract class RegistryTestBase {
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    static final String HOST = "test.local";

    @TempDir
    static Path shared;
    static TestRegistry registry;
    static RegistryProxy proxy;
    static Path hostsDir;

    @TempDir
    Path dir;
    Path root;
    Path outside;
    ImageService service;
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    final PullListener listener = new PullListener() {
        @Override
        public void pullFinished(String reference, boolean success, boolean shared, Duration took) {
            events.add("pull " + reference + " " + success + " shared=" + shared);
        }

        @Override
        public void layerReused(String reference, Digest diffId) {
            events.add("reused " + diffId);
        }
    };

    @BeforeAll
    static void startRegistry() throws Exception {
        Assumptions.assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
        registry = TestRegistry.start(Files.createDirectory(shared.resolve("registry")));
        proxy = new RegistryProxy(registry.host());
        hostsDir = Files.createDirectories(shared.resolve("certs.d").resolve(HOST));
        Files.writeString(hostsDir.resolve("hosts.toml"), "server = \"http://" + proxy.host() + "\"\n\n[host.\"http://"
                + proxy.host() + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        root = dir.resolve("store");
        outside = Files.createDirectory(dir.resolve("outside"));
        service = open(config());
    }

    @AfterEach
    void close() {
        service.close();
    }

    ImageConfig config() {
        return ImageConfig.defaults(root).withHostsDir(hostsDir.getParent()).withRetries(2, Duration.ofMillis(20));
    }

    ImageService open(ImageConfig config) {
        FsOps ops = ROOT ? new LinuxFsOps() : new RecordingFsOps();
        return DefaultImageService.open(config, listener, Timing.SYSTEM, ops, new RecordingSyscalls());
    }

    static byte[] busyboxTar() throws Exception {
        return new TarBuilder().dir("bin", 0755).file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755)
                .symlink("bin/sh", "busybox").dir("etc", 0755).file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                .dir("tmp", 01777).build();
    }

    static String unique(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    List<Path> snapshotDirs() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("snapshots"))) {
            return s.toList();
        }
    }

    void assertNothingLeftBehind() throws Exception {
        assertEquals(List.of(), snapshotDirs(), "no partial snapshot");
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            assertEquals(List.of(), s.toList(), "no temp files");
        }
        assertEquals(0, outside.toFile().list().length, "nothing outside the store");
    }
}
