package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer-token and Basic auth in front of the real registry (the proxy plays the auth server). */
class RegistryAuthTest extends RegistryTestBase {
    @AfterEach
    void noAuth() {
        proxy.auth = null;
        proxy.redirectBlobs = false;
    }

    @Test
    void followsBlobRedirectsWithoutLeakingCredentials() throws Exception {
        String ref = pushSmall();
        proxy.auth = "bearer";
        proxy.redirectBlobs = true;
        proxy.storageRequests.clear();
        service.pull(ref, PullOptions.withAuth(RegistryAuth.basic(RegistryProxy.USER, RegistryProxy.PASSWORD)));
        assertEquals(java.util.List.of("none", "none"), proxy.storageRequests, "config and layer from storage, no credentials");
    }

    private String pushSmall() throws Exception {
        String repo = unique("private");
        new TestImage().layer(TestImage.Layer.gzip(new TarBuilder().file("f", "1").build())).push(registry, repo, "v1");
        return HOST + "/" + repo + ":v1";
    }

    @Test
    void bearerTokenFlowWithUsernameAndPassword() throws Exception {
        String ref = pushSmall();
        proxy.auth = "bearer";
        int before = proxy.tokensIssued.get();
        service.pull(ref, PullOptions.withAuth(RegistryAuth.basic(RegistryProxy.USER, RegistryProxy.PASSWORD)));
        assertEquals(1, proxy.tokensIssued.get() - before, "one token, cached for manifest, config and layer");
    }

    @Test
    void bearerTokenFlowWithTheAuthField() throws Exception {
        String ref = pushSmall();
        proxy.auth = "bearer";
        String auth = Base64.getEncoder().encodeToString((RegistryProxy.USER + ":" + RegistryProxy.PASSWORD).getBytes());
        assertTrue(service.pull(ref, PullOptions.withAuth(new RegistryAuth("", "", auth, "", ""))).id().startsWith("sha256:"));
    }

    @Test
    void registryTokenIsSentAsIs() throws Exception {
        String ref = pushSmall();
        proxy.auth = "bearer";
        int before = proxy.tokensIssued.get();
        service.pull(ref, PullOptions.withAuth(new RegistryAuth("", "", "", "", "tok-alice")));
        assertEquals(before, proxy.tokensIssued.get());
    }

    @Test
    void basicAuth() throws Exception {
        String ref = pushSmall();
        proxy.auth = "basic";
        assertTrue(service.pull(ref, PullOptions.withAuth(RegistryAuth.basic(RegistryProxy.USER, RegistryProxy.PASSWORD)))
                .id().startsWith("sha256:"));
    }

    @Test
    void wrongOrMissingCredentialsAreUnauthenticated() throws Exception {
        String ref = pushSmall();
        proxy.auth = "bearer";
        ImageException e = assertThrows(ImageException.class,
                () -> service.pull(ref, PullOptions.withAuth(RegistryAuth.basic(RegistryProxy.USER, "wrong"))));
        assertEquals(ImageException.Kind.UNAUTHENTICATED, e.kind(), e.getMessage());
        proxy.auth = "basic";
        e = assertThrows(ImageException.class, () -> service.pull(ref, PullOptions.ANONYMOUS));
        assertEquals(ImageException.Kind.UNAUTHENTICATED, e.kind(), e.getMessage());
    }
}
