package dev.berth.server.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry (Debian's docker-registry on a random port) serving the busybox test image to one
 * test class: {@code @RegisterExtension static final BusyboxRegistry IMAGES = new BusyboxRegistry(config)}.
 * On a machine without the registry or busybox, {@link #registry()} is null and the tests skip
 * through {@link PodFixture#assumeCapable}.
 */
final class BusyboxRegistry implements BeforeAllCallback, AfterAllCallback {
    private final String configFields;
    private Path dir;
    private TestRegistry registry;
    private byte[] layer;
    private String busybox;

    /** {@code configFields}: the inside of the image config's "config" object (Env, Cmd...). */
    BusyboxRegistry(String configFields) {
        this.configFields = configFields;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!TestRegistry.available() || !BusyboxImage.available()) {
            return;
        }
        dir = Files.createTempDirectory("berth-registry");
        registry = TestRegistry.start(dir);
        layer = BusyboxImage.layer();
        busybox = push("berth/busybox", configFields);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Pushes the busybox layer again under another name and config; returns its reference. */
    String push(String repo, String fields) throws Exception {
        return registry.pushImage(repo, "1", fields, layer).reference();
    }

    TestRegistry registry() {
        return registry;
    }

    /**
     * A daemon under {@code dir} pulling from this registry, with the busybox image pulled; skips
     * the test (through {@link PodFixture#assumeCapable}) where this machine cannot run pods.
     */
    PodFixture startPods(Path dir) throws Exception {
        PodFixture.assumeCapable(registry);
        PodFixture pods = new PodFixture(dir, registry);
        pods.pull(busybox);
        return pods;
    }

    /** The busybox image's reference. */
    String busybox() {
        return busybox;
    }
}
