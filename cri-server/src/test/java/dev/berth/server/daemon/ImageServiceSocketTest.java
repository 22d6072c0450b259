package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.api.v1.FilesystemUsage;
import dev.berth.cri.api.v1.Image;
import dev.berth.cri.api.v1.ImageFilter;
import dev.berth.cri.api.v1.ImageFsInfoRequest;
import dev.berth.cri.api.v1.ImageFsInfoResponse;
import dev.berth.cri.api.v1.ImageServiceGrpc;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.ImageStatusRequest;
import dev.berth.cri.api.v1.ImageStatusResponse;
import dev.berth.cri.api.v1.ListImagesRequest;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxMetadata;
import dev.berth.cri.api.v1.PullImageRequest;
import dev.berth.cri.api.v1.RemoveImageRequest;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.config.BerthConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRI ImageService over the daemon's real unix socket, pulling from a real registry
 * (Debian's docker-registry on a random port) images this test builds and pushes. The layers
 * hold only regular files, so pulls need no root (ownership is set only as root).
 */
class ImageServiceSocketTest {
    private static final String NO_REGISTRY = "needs " + TestRegistry.BINARY + " (Debian package docker-registry)";

    @TempDir
    static Path shared;
    private static TestRegistry registry;
    private static TestRegistry.Pushed hello;
    private static TestRegistry.Pushed named;

    @TempDir
    Path dir;
    private BerthConfig config;
    private Daemon daemon;
    private CriChannels client;
    private ImageServiceGrpc.ImageServiceBlockingStub images;

    @BeforeAll
    static void startRegistry() throws Exception {
        if (!TestRegistry.available()) {
            return;
        }
        registry = TestRegistry.start(Files.createDirectory(shared.resolve("registry")));
        hello = registry.push("berth/hello", "1", "1000", "hello", "#!/bin/sh\necho hello\n", "etc.passwd", "root:x:0:0::/:/bin/sh\n");
        named = registry.push("berth/named", "1", "www-data:33", "named.txt", "a user by name\n");
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    private void start(BerthConfig c) throws Exception {
        config = c;
        daemon = Daemon.start(config);
        client = new CriChannels(config.grpc().socket());
        images = ImageServiceGrpc.newBlockingStub(client.channel());
    }

    private void start() throws Exception {
        start(TestConfigs.inside(dir, true));
    }

    private void startWithRegistry() throws Exception {
        assumeTrue(registry != null, NO_REGISTRY);
        registry.writeHostsToml(TestConfigs.certsDir(dir));
        start();
    }

    private void restart() throws Exception {
        stop();
        start(config);
    }

    private static ImageSpec spec(String image) {
        return ImageSpec.newBuilder().setImage(image).build();
    }

    private String pull(String reference) {
        return images.pullImage(PullImageRequest.newBuilder().setImage(spec(reference)).build()).getImageRef();
    }

    private ImageStatusResponse status(String name) {
        return images.imageStatus(ImageStatusRequest.newBuilder().setImage(spec(name)).build());
    }

    private List<Image> list(String filter) {
        return images.listImages(ListImagesRequest.newBuilder().setFilter(ImageFilter.newBuilder().setImage(spec(filter))).build())
                .getImagesList();
    }

    private void remove(String name) {
        images.removeImage(RemoveImageRequest.newBuilder().setImage(spec(name)).build());
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void pulledImageHasItsStatusIsListedAndIsGoneAfterRemove() throws Exception {
        startWithRegistry();

        String id = images.pullImage(PullImageRequest.newBuilder().setImage(spec(hello.reference()))
                // accepted and ignored, as kubelet always sends it
                .setSandboxConfig(PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata.newBuilder().setName("p")))
                .build()).getImageRef();

        assertEquals(hello.id(), id, "image_ref is the image ID, the config digest");
        Image image = status(hello.reference()).getImage();
        assertEquals(hello.id(), image.getId());
        assertEquals(List.of(hello.reference()), image.getRepoTagsList());
        assertEquals(List.of(hello.digestReference()), image.getRepoDigestsList());
        assertEquals(hello.size(), image.getSize());
        assertTrue(image.hasUid(), "USER 1000 is numeric");
        assertEquals(1000, image.getUid().getValue());
        assertEquals("", image.getUsername());
        assertFalse(image.getPinned());
        assertEquals(hello.id(), image.getSpec().getImage());
        assertEquals(image, status(id).getImage(), "by ID");
        assertEquals(image, status(hello.digestReference()).getImage(), "by digest reference");
        assertEquals(image, status(id.substring("sha256:".length(), 19)).getImage(), "by a unique ID prefix");

        assertEquals(List.of(image), images.listImages(ListImagesRequest.getDefaultInstance()).getImagesList());
        assertEquals(List.of(image), list(hello.reference()));
        assertEquals(List.of(), list(registry.host() + "/berth/hello:2"));

        remove(hello.reference());
        assertFalse(status(hello.reference()).hasImage());
        assertFalse(status(id).hasImage());
        assertEquals(List.of(), images.listImages(ListImagesRequest.getDefaultInstance()).getImagesList());
    }

    @Test
    void imageWhoseUserIsANameReportsTheUsernameAndNoUid() throws Exception {
        startWithRegistry();
        pull(named.reference());

        Image image = status(named.reference()).getImage();
        assertFalse(image.hasUid(), "no uid for a named user");
        assertEquals("www-data", image.getUsername());
    }

    @Test
    void verboseStatusCarriesTheImageConfigAsJson() throws Exception {
        startWithRegistry();
        pull(hello.reference());

        ImageStatusResponse plain = status(hello.reference());
        assertTrue(plain.getInfoMap().isEmpty(), "info only when verbose");
        ImageStatusResponse verbose = images.imageStatus(ImageStatusRequest.newBuilder().setImage(spec(hello.reference()))
                .setVerbose(true).build());
        JsonNode info = new ObjectMapper().readTree(verbose.getInfoOrThrow("info"));
        assertEquals("1000", info.path("imageSpec").path("config").path("User").asText());
        assertEquals("/hello", info.path("imageSpec").path("config").path("Cmd").path(0).asText());
        assertEquals(hello.id(), info.path("id").asText());
    }

    @Test
    void removingTwiceOrRemovingAnUnknownImageSucceeds() throws Exception {
        startWithRegistry();
        String id = pull(hello.reference());

        remove(id);
        remove(id);
        remove(hello.reference());
        remove("never/pulled:1");
        assertFalse(status(hello.reference()).hasImage());
    }

    @Test
    void imageFsInfoReportsTheStoreAndGrowsWithAPull() throws Exception {
        startWithRegistry();
        ImageFsInfoResponse before = images.imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
        pull(hello.reference());
        ImageFsInfoResponse after = images.imageFsInfo(ImageFsInfoRequest.getDefaultInstance());

        FilesystemUsage fs = after.getImageFilesystems(0);
        assertEquals(config.root().resolve("images").toString(), fs.getFsId().getMountpoint());
        assertTrue(fs.getUsedBytes().getValue() > before.getImageFilesystems(0).getUsedBytes().getValue(),
                before + " then " + after);
        assertTrue(fs.getInodesUsed().getValue() > before.getImageFilesystems(0).getInodesUsed().getValue(),
                before + " then " + after);
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        assertTrue(Math.abs(nowNanos - fs.getTimestamp()) < 60_000_000_000L, "timestamp in nanoseconds: " + fs.getTimestamp());
        assertEquals(List.of(fs.getFsId()), after.getContainerFilesystemsList().stream().map(FilesystemUsage::getFsId).toList());
    }

    @Test
    void aPulledImageIsStillThereAfterARestart() throws Exception {
        startWithRegistry();
        String id = pull(hello.reference());

        restart();

        Image image = status(hello.reference()).getImage();
        assertEquals(id, image.getId());
        assertEquals(List.of(hello.digestReference()), image.getRepoDigestsList());
    }

    @Test
    void imageMissingFromTheRegistryIsNotFound() throws Exception {
        startWithRegistry();
        String missing = registry.host() + "/berth/absent:1";

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(missing));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("berth/absent"), e.getStatus().getDescription());
    }

    @Test
    void pullingTheSandboxImagePinsItAndARestartWithAnotherSandboxImageUnpinsIt() throws Exception {
        assumeTrue(registry != null, NO_REGISTRY);
        registry.writeHostsToml(TestConfigs.certsDir(dir));
        BerthConfig base = TestConfigs.inside(dir, true);
        start(base.withImage(base.image().withSandboxImage(hello.reference())));
        pull(hello.reference());
        pull(named.reference());
        assertTrue(status(hello.reference()).getImage().getPinned(), "the sandbox image is pinned");
        assertFalse(status(named.reference()).getImage().getPinned());

        stop();
        start(base.withImage(base.image().withSandboxImage(named.reference())));

        assertFalse(status(hello.reference()).getImage().getPinned(), "no longer the sandbox image");
        assertTrue(status(named.reference()).getImage().getPinned(), "pinned at start, being present");
    }

    @Test
    void pullsAreCountedInTheMetrics() throws Exception {
        startWithRegistry();
        pull(hello.reference());
        assertThrows(StatusRuntimeException.class, () -> pull(registry.host() + "/berth/absent:1"));

        String body = metrics();
        assertTrue(body.contains("berth_image_pulls_total{result=\"success\",shared=\"false\",} 1.0"), body);
        assertTrue(body.contains("berth_image_pulls_total{result=\"failure\",shared=\"false\",} 1.0"), body);
        assertTrue(body.contains("berth_image_pull_duration_seconds_count{result=\"success\",} 1.0"), body);
        assertTrue(body.contains("berth_image_layers_unpacked_total 1.0"), body);
        assertTrue(body.contains("berth_image_bytes_fetched_total "), body);
        assertFalse(body.contains("berth_image_bytes_fetched_total 0.0"), body);
    }

    @Test
    void malformedReferenceIsInvalidArgumentSayingWhatIsWrong() throws Exception {
        start();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull("Berth/UPPER::case"));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("invalid image reference \"Berth/UPPER::case\": "),
                e.getStatus().getDescription());
    }

    @Test
    void emptyImageNameIsInvalidArgumentNamingTheField() throws Exception {
        start();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(""));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("PullImage needs image.image: the reference to pull, e.g. busybox:1.36", e.getStatus().getDescription());
        StatusRuntimeException status = assertThrows(StatusRuntimeException.class, () -> status(""));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
    }

    @Test
    void statusOfAnUnknownImageIsAnEmptyAnswerNotAnError() throws Exception {
        start();

        ImageStatusResponse response = status("registry.k8s.io/never-pulled:1");

        assertFalse(response.hasImage());
        assertTrue(response.getInfoMap().isEmpty());
        assertEquals(List.of(), images.listImages(ListImagesRequest.getDefaultInstance()).getImagesList());
    }

    @Test
    void imageFsInfoOfAnEmptyStoreNamesItsMountpoint() throws Exception {
        start();

        ImageFsInfoResponse fs = images.imageFsInfo(ImageFsInfoRequest.getDefaultInstance());

        assertEquals(1, fs.getImageFilesystemsCount());
        assertEquals(config.root().resolve("images").toString(), fs.getImageFilesystems(0).getFsId().getMountpoint());
        assertTrue(fs.getImageFilesystems(0).getInodesUsed().getValue() > 0, "the store's own dirs");
        assertEquals(1, fs.getContainerFilesystemsCount());
    }
}
