package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each kind of hostile image is refused with a clear error, and leaves nothing behind. */
class UntrustedImageTest extends RegistryTestBase {

    private ImageException refusedPull(TestImage image) throws Exception {
        String repo = unique("bad");
        image.push(registry, repo, "v1");
        String ref = HOST + "/" + repo + ":v1";
        ImageException e = assertThrows(ImageException.class, () -> service.pull(ref, PullOptions.ANONYMOUS));
        assertTrue(e.getMessage().contains(repo), "names the image: " + e.getMessage());
        assertEquals(Optional.empty(), service.status(ref));
        assertNothingLeftBehind();
        return e;
    }

    private static TestImage withLayer(byte[] tar) {
        return new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("ok", "fine").build()))
                .layer(TestImage.Layer.gzip(tar));
    }

    @Test
    void refusesPathTraversal() throws Exception {
        ImageException e = refusedPull(withLayer(new TarBuilder().file("../../../../" + outside + "/pwned", "x").build()));
        assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
        assertTrue(e.getMessage().contains("pwned") && e.getMessage().contains("\"..\""), e.getMessage());
    }

    @Test
    void refusesAbsolutePath() throws Exception {
        ImageException e = refusedPull(withLayer(new TarBuilder().file(outside + "/pwned", "x").build()));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    }

    @Test
    void refusesWritingThroughASymlink() throws Exception {
        ImageException e = refusedPull(withLayer(new TarBuilder().symlink("link", outside.toString()).file("link/pwned", "x").build()));
        assertTrue(e.getMessage().contains("link/pwned") && e.getMessage().contains("symlink"), e.getMessage());
    }

    @Test
    void refusesHardlinkOutOfTheSnapshot() throws Exception {
        Files.writeString(dir.resolve("secret"), "s");
        ImageException e = refusedPull(withLayer(new TarBuilder().hardlink("h", "../secret").build()));
        assertTrue(e.getMessage().contains("\"h\""), e.getMessage());
    }

    @Test
    void refusesDeviceNodes() throws Exception {
        ImageException e = refusedPull(withLayer(new TarBuilder().charDevice("dev/kmem", 1, 2).build()));
        assertTrue(e.getMessage().contains("dev/kmem") && e.getMessage().contains("device node"), e.getMessage());
    }

    @Test
    void refusesHugeTarHeaders() throws Exception {
        byte[] tar = TarBuilder.longNameHeader(1L << 32);
        ImageException e = refusedPull(new TestImage().layer(TestImage.Layer.plain(tar)));
        assertTrue(e.getMessage().contains("extended tar header"), e.getMessage());
    }

    @Test
    void refusesSizeBombsBeyondTheLimit() throws Exception {
        service.close();
        service = open(config().withLimits(1 << 20, 8L << 20));
        ImageException e = refusedPull(new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().zeros("bomb", 64L << 20).build())));
        assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
        assertTrue(e.getMessage().contains("uncompressed") && e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void refusesManifestsAboveTheLimit() throws Exception {
        service.close();
        service = open(config().withLimits(600, 1L << 30));
        TestImage big = new TestImage();
        for (int i = 0; i < 5; i++) {
            big.layer(TestImage.Layer.gzip(new TarBuilder().file("f" + i, "x").build()));
        }
        ImageException e = refusedPull(big);
        assertTrue(e.getMessage().contains("manifest") && e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void refusesBlobsWhoseBytesDoNotMatchTheirDigest() throws Exception {
        TestImage.Layer layer = TestImage.Layer.plain(new TarBuilder().file("data", "d".repeat(5000)).build());
        proxy.corrupt.put(Digest.sha256(layer.blob()).toString(), true);
        try {
            ImageException e = refusedPull(new TestImage().layer(layer));
            assertEquals(ImageException.Kind.BAD_CONTENT, e.kind());
            assertTrue(e.getMessage().contains("digest mismatch") && e.getMessage().contains(Digest.sha256(layer.blob()).toString()),
                    e.getMessage());
        } finally {
            proxy.corrupt.clear();
        }
    }

    @Test
    void refusesLayersWhoseContentDoesNotMatchTheConfigDiffIds() throws Exception {
        ImageException e = refusedPull(new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build()))
                .lyingDiffIds(List.of("sha256:" + "0".repeat(64))));
        assertTrue(e.getMessage().contains("uncompressed") && e.getMessage().contains("digest mismatch"), e.getMessage());
    }

    @Test
    void refusesConfigsWithTheWrongNumberOfDiffIds() throws Exception {
        ImageException e = refusedPull(new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build()))
                .lyingDiffIds(List.of()));
        assertTrue(e.getMessage().contains("diff_ids"), e.getMessage());
    }

    @Test
    void refusesBlobsLongerThanTheirDescriptorSays() throws Exception {
        ImageException e = refusedPull(new TestImage().layer(TestImage.Layer.plain(new TarBuilder().file("f", "1").build()))
                .lyingLayerSize(1000));
        assertTrue(e.getMessage().contains("larger than 1000") || e.getMessage().contains("size"), e.getMessage());
    }
}
