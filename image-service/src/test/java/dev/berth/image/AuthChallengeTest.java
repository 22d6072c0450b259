package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void parsesBearerChallengeWithQuotedCommas() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull,push\"").orElseThrow();
        assertEquals("bearer", c.scheme());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:library/busybox:pull,push", c.param("scope"));
    }

    @Test
    void parsesBasic() {
        assertEquals("basic", AuthChallenge.parse("Basic realm=\"Registry Realm\"").orElseThrow().scheme());
    }

    @Test
    void authFieldDecodesToUsernameAndPassword() {
        RegistryAuth a = new RegistryAuth("", "", java.util.Base64.getEncoder().encodeToString("u:p:w".getBytes()), "", "");
        assertEquals("u", a.effectiveUsername());
        assertEquals("p:w", a.effectivePassword());
        assertEquals("Basic dTpwOnc=", TokenAuthenticator.basic(a));
    }
}
