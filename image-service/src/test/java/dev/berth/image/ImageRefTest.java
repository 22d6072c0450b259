package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
    private static final String HEX = "a".repeat(64);

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest",
        "busybox:1.36, docker.io/library/busybox:1.36",
        "library/busybox, docker.io/library/busybox:latest",
        "index.docker.io/library/busybox, docker.io/library/busybox:latest",
        "docker.io/busybox, docker.io/library/busybox:latest",
        "bitnami/redis:7, docker.io/bitnami/redis:7",
        "registry.k8s.io/pause:3.10, registry.k8s.io/pause:3.10",
        "127.0.0.1:5000/test/app, 127.0.0.1:5000/test/app:latest",
        "localhost/app:v1, localhost/app:v1",
        "localhost:5000/a/b/c, localhost:5000/a/b/c:latest",
        "ghcr.io/a_b/c__d/e-f.g:T_1.0-x, ghcr.io/a_b/c__d/e-f.g:T_1.0-x",
    })
    void normalizesLikeDocker(String input, String expected) {
        assertEquals(expected, ImageRef.parse(input).toString());
    }

    @Test
    void digestReferenceHasNoDefaultTag() {
        ImageRef ref = ImageRef.parse("busybox@sha256:" + HEX);
        assertEquals(Optional.empty(), ref.tag());
        assertEquals("sha256:" + HEX, ref.manifestReference());
        assertEquals("docker.io/library/busybox@sha256:" + HEX, ref.toString());
    }

    @Test
    void tagAndDigestKeepsBothAndPullsByDigest() {
        ImageRef ref = ImageRef.parse("127.0.0.1:5000/app:v1@sha256:" + HEX);
        assertEquals(Optional.of("v1"), ref.tag());
        assertEquals("sha256:" + HEX, ref.manifestReference());
        assertEquals("127.0.0.1:5000", ref.domain());
        assertEquals("app", ref.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "busybox:", "busybox:-bad", "a//b", "a/../b", "busybox@sha256:abc",
        "busybox@md5:" + "a", "-lead", "bad_/x", "a:b:c"})
    void refusesInvalidReferencesWithAClearMessage(String input) {
        ImageException e = assertThrows(ImageException.class, () -> ImageRef.parse(input));
        assertEquals(ImageException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().startsWith("invalid image reference \"" + input + "\": "), e.getMessage());
    }

    @Test
    void refusesAnIdWhereARepositoryIsExpected() {
        ImageException e = assertThrows(ImageException.class, () -> ImageRef.parse(HEX));
        assertTrue(e.getMessage().contains("image ID"), e.getMessage());
    }

    @Test
    void refusesOverlongNames() {
        assertThrows(ImageException.class, () -> ImageRef.parse("a/" + "b".repeat(260)));
    }
}
