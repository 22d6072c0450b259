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

/** Pull, status, list, remove, restart, sharing and resilience against a real registry. */
class PullIntegrationTest extends RegistryTestBase {
    @Test
    void pullStatusListRemoveRoundTrip() throws Exception {
        String repo = unique("busybox");
        TestImage img = new TestImage().layer(TestImage.Layer.dockerGzip(busyboxTar())).user("1000:1000").dockerMediaTypes();
        TestImage.Pushed pushed = img.push(registry, repo, "1.36");
        String ref = HOST + "/" + repo + ":1.36";

        long start = System.nanoTime();
        Image image = service.pull(ref, PullOptions.ANONYMOUS);
        System.out.printf("pull of busybox (%d KiB) took %d ms%n", image.size() / 1024, (System.nanoTime() - start) / 1_000_000);

        assertEquals(pushed.configDigest().toString(), image.id());
        assertEquals(List.of(ref), image.repoTags());
        assertEquals(List.of(HOST + "/" + repo + "@" + pushed.digest()), image.repoDigests());
        assertEquals(Optional.of(1000L), image.uid());
        assertTrue(image.size() > 500_000, "size " + image.size());
        Path snapshot = snapshotDirs().get(0);
        assertTrue(Files.isExecutable(snapshot.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(snapshot.resolve("bin/sh")));

        assertEquals(image.id(), service.status(image.id()).orElseThrow().id());
        assertEquals(image.id(), service.status(image.id().substring(7, 19)).orElseThrow().id());
        assertEquals(image.id(), service.status(HOST + "/" + repo + "@" + pushed.digest()).orElseThrow().id());
        assertEquals(1, service.list(Optional.of(ref)).size());
        assertEquals(0, service.list(Optional.of(HOST + "/" + repo + ":other")).size());
        assertEquals(1, service.list(Optional.empty()).size());
        assertTrue(service.fsUsage().usedBytes() > 1_000_000);
        assertFalse(Files.exists(root.resolve("blobs/sha256").resolve(Digest.sha256(img.config()).hex() + "x")));

        service.remove(ref);
        assertEquals(Optional.empty(), service.status(image.id()));
        assertEquals(List.of(), snapshotDirs(), "snapshots collected");
        assertFalse(Files.exists(root.resolve("blobs/sha256").resolve(pushed.configDigest().hex())), "config collected");
        service.remove(ref); // idempotent
    }

    @Test
    void pullsOciLayersInGzipZstdAndPlainTarWithWhiteouts() throws Exception {
        String repo = unique("layers");
        byte[] base = new TarBuilder().dir("etc", 0755).file("etc/keep", "k").file("etc/old", "o").dir("var/cache", 0755)
                .file("var/cache/x", "x").build();
        byte[] mid = new TarBuilder().whiteout("etc", "old").dir("var/cache", 0755).opaque("var/cache").file("var/cache/y", "y").build();
        byte[] top = new TarBuilder().file("etc/new", "n").build();
        new TestImage().layer(TestImage.Layer.gzip(base)).layer(TestImage.Layer.zstd(mid)).layer(TestImage.Layer.plain(top))
                .push(registry, repo, "v1");
        Image image = service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        Rootfs rootfs = service.prepareRootfs("c1", image.id());
        assertEquals(3, rootfs.lowerDirs().size());
        assertEquals("n", Files.readString(rootfs.lowerDirs().get(0).resolve("etc/new")), "topmost first");
        Path midDir = rootfs.lowerDirs().get(1);
        assertTrue(Files.exists(midDir.resolve("etc/old"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "whiteout node");
        assertFalse(Files.exists(midDir.resolve("etc/.wh.old"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        if (ROOT) {
            var attrs = Files.readAttributes(midDir.resolve("etc/old"), java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertTrue(attrs.isOther(), "a char device");
        }
        assertTrue(rootfs.mountOptions().startsWith("lowerdir=" + rootfs.lowerDirs().get(0) + ":"));
    }

    @Test
    void concurrentPullsOfOneImageDownloadEachLayerOnce() throws Exception {
        String repo = unique("shared");
        byte[] base = busyboxTar();
        TestImage a = new TestImage().layer(TestImage.Layer.gzip(base)).layer(TestImage.Layer.gzip(new TarBuilder().file("a", "a").build()));
        a.push(registry, repo, "a");
        Digest baseBlob = Digest.sha256(TestImage.Layer.gzip(base).blob());
        String ref = HOST + "/" + repo + ":a";
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Image>> pulls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pulls.add(pool.submit(() -> service.pull(ref, PullOptions.ANONYMOUS)));
        }
        for (Future<Image> f : pulls) {
            assertEquals(Digest.sha256(a.config()).toString(), f.get().id());
        }
        pool.shutdown();
        assertEquals(1, proxy.blobGets(baseBlob), proxy.blobGets.toString());

        // a second image on the same base shares its snapshot: no new download of the base
        new TestImage().layer(TestImage.Layer.gzip(base)).layer(TestImage.Layer.gzip(new TarBuilder().file("b", "b").build()))
                .push(registry, repo, "b");
        service.pull(HOST + "/" + repo + ":b", PullOptions.ANONYMOUS);
        assertEquals(1, proxy.blobGets(baseBlob));
        assertEquals(3, snapshotDirs().size());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("reused ")), events.toString());
    }

    @Test
    void restartKeepsImagesAndTheirSnapshots() throws Exception {
        String repo = unique("restart");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build())).push(registry, repo, "v1");
        Image image = service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        service.pin(image.id(), true);
        service.close();
        Files.writeString(root.resolve("tmp").resolve("leftover"), "x");
        service = open(config());
        Image again = service.status(HOST + "/" + repo + ":v1").orElseThrow();
        assertEquals(image.id(), again.id());
        assertTrue(again.pinned());
        assertEquals(1, snapshotDirs().size());
        assertFalse(Files.exists(root.resolve("tmp").resolve("leftover")), "tmp cleaned on start");
    }

    @Test
    void multiArchIndexResolvesToLinuxAmd64() throws Exception {
        String repo = unique("multi");
        List<TestImage.Pushed> entries = new ArrayList<>();
        String[][] platforms = {{"linux", "arm64", "v8"}, {"linux", "amd64", "v9"}, {"linux", "amd64"}, {"windows", "amd64"}};
        for (String[] p : platforms) {
            entries.add(new TestImage().architecture(p[1] + p[0]).layer(TestImage.Layer.gzip(
                    new TarBuilder().file("arch", String.join("/", p)).build())).push(registry, repo, "p-" + p[0] + p[1] + p.length));
        }
        for (boolean docker : new boolean[] {false, true}) {
            Digest index = TestImage.pushIndex(registry, repo, "all" + docker, docker, entries, List.of(platforms));
            Image image = service.pull(HOST + "/" + repo + ":all" + docker, PullOptions.ANONYMOUS);
            assertEquals(entries.get(2).configDigest().toString(), image.id());
            assertTrue(image.repoDigests().contains(HOST + "/" + repo + "@" + index), image.repoDigests().toString());
        }
    }

    @Test
    void resumesACutDownloadWithARangeRequest() throws Exception {
        String repo = unique("resume");
        TestImage.Layer layer = TestImage.Layer.gzip(busyboxTar());
        new TestImage().layer(layer).push(registry, repo, "v1");
        Digest blob = Digest.sha256(layer.blob());
        proxy.cutAfter.put(blob.toString(), 100_000);
        service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        assertEquals(List.of(blob + " null", blob + " bytes=100000-"),
                proxy.blobGets.stream().filter(s -> s.startsWith(blob.toString())).toList());
    }

    @Test
    void retriesAfterServerErrors() throws Exception {
        String repo = unique("retry");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build())).push(registry, repo, "v1");
        proxy.unavailable.set(2);
        assertTrue(service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS).id().startsWith("sha256:"));
    }

    @Test
    void stalledPullIsAbortedNamingImageAndLayer() throws Exception {
        service.close();
        service = open(config().withStallTimeout(Duration.ofMillis(400)));
        String repo = unique("stall");
        TestImage.Layer layer = TestImage.Layer.gzip(busyboxTar());
        new TestImage().layer(layer).push(registry, repo, "v1");
        Digest blob = Digest.sha256(layer.blob());
        proxy.stall.put(blob.toString(), true);
        try {
            long start = System.nanoTime();
            ImageException e = assertThrows(ImageException.class, () -> service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS));
            assertEquals(ImageException.Kind.TIMEOUT, e.kind(), e.toString());
            assertTrue(e.getMessage().contains(repo) && e.getMessage().contains(blob.toString()), e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            assertNothingLeftBehind();
        } finally {
            proxy.stall.remove(blob.toString());
        }
    }

    @Test
    void unknownImageIsNotFound() {
        ImageException e = assertThrows(ImageException.class, () -> service.pull(HOST + "/nothing-here:v1", PullOptions.ANONYMOUS));
        assertEquals(ImageException.Kind.NOT_FOUND, e.kind(), e.getMessage());
    }

    @Test
    void sandboxImageCanBePinnedAndStaysOnGc() throws Exception {
        String repo = unique("pause");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("pause", "p").build())).push(registry, repo, "3.10");
        Image image = service.pull(HOST + "/" + repo + ":3.10", PullOptions.ANONYMOUS);
        service.pin(HOST + "/" + repo + ":3.10", true);
        assertEquals(0, service.collectGarbage().snapshotsRemoved());
        assertTrue(service.status(image.id()).orElseThrow().pinned());
    }

    @Test
    void containerLeaseKeepsSnapshotsAfterImageRemoval() throws Exception {
        String repo = unique("lease");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build())).push(registry, repo, "v1");
        Image image = service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        Rootfs rootfs = service.prepareRootfs("ctr-1", image.id());
        assertEquals(rootfs, service.prepareRootfs("ctr-1", image.id()), "idempotent");
        assertTrue(Files.isDirectory(rootfs.upperDir()) && Files.isDirectory(rootfs.workDir()));
        service.remove(image.id());
        assertTrue(Files.isDirectory(rootfs.lowerDirs().get(0)), "leased snapshot kept");
        service.removeRootfs("ctr-1");
        assertFalse(Files.exists(rootfs.upperDir()));
        assertEquals(1, service.collectGarbage().snapshotsRemoved());
        service.removeRootfs("ctr-1");
    }

    @Test
    void loadsTheHarnessHostsFileForPlainHttp() throws Exception {
        // the harness maps docker.io to a local registry with exactly this file
        Path certs = Files.createDirectories(dir.resolve("certs.d/docker.io"));
        Files.writeString(certs.resolve("hosts.toml"), "server = \"http://" + registry.host() + "\"\n\n[host.\"http://"
                + registry.host() + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
        String repo = unique("library/busybox");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build())).push(registry, repo, "latest");
        service.close();
        service = open(ImageConfig.defaults(root).withHostsDir(dir.resolve("certs.d")));
        Image image = service.pull(repo.substring("library/".length()), PullOptions.ANONYMOUS);
        assertEquals(List.of("docker.io/" + repo + ":latest"), image.repoTags());
    }


    @Test
    void fallsThroughADeadMirrorToTheServer() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs.d/mirrored.local"));
        int dead = TestRegistry.freePort();
        Files.writeString(certs.resolve("hosts.toml"), "server = \"http://" + registry.host() + "\"\n[host.\"http://127.0.0.1:"
                + dead + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
        String repo = unique("mirrored");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build())).push(registry, repo, "v1");
        service.close();
        service = open(ImageConfig.defaults(root).withHostsDir(dir.resolve("certs.d")).withRetries(0, Duration.ofMillis(1)));
        assertEquals(List.of("mirrored.local/" + repo + ":v1"), service.pull("mirrored.local/" + repo + ":v1", PullOptions.ANONYMOUS).repoTags());
    }

    @Test
    void keepsCompressedLayersOnlyWhenConfigured() throws Exception {
        String repo = unique("keep");
        TestImage.Layer layer = TestImage.Layer.zstd(new TarBuilder().file("f", "1").build());
        new TestImage().layer(layer).push(registry, repo, "v1");
        Path blob = root.resolve("blobs/sha256").resolve(Digest.sha256(layer.blob()).hex());
        service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        assertFalse(Files.exists(blob), "dropped after unpack by default");
        service.remove(HOST + "/" + repo + ":v1");
        service.close();
        service = open(config().withKeepCompressedLayers(true));
        service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        assertTrue(Files.exists(blob), "kept");
        assertEquals(Digest.sha256(layer.blob()), Digest.sha256(Files.readAllBytes(blob)));
    }

    @Test
    void deepChainOfLayersStacksInOrder() throws Exception {
        String repo = unique("deep");
        TestImage image = new TestImage();
        for (int i = 0; i < 30; i++) {
            image.layer(TestImage.Layer.gzip(new TarBuilder().file("layer", "L" + i).file("f" + i, "x").build()));
        }
        image.push(registry, repo, "v1");
        Image pulled = service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        Rootfs rootfs = service.prepareRootfs("deep", pulled.id());
        assertEquals(30, rootfs.lowerDirs().size());
        assertEquals("L29", Files.readString(rootfs.lowerDirs().get(0).resolve("layer")));
        assertEquals("L0", Files.readString(rootfs.lowerDirs().get(29).resolve("layer")));
    }
}
