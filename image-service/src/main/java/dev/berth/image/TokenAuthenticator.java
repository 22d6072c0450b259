package dev.berth.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a registry's 401 challenge into an {@code Authorization} header: Basic with the
 * credentials, or Bearer via the token endpoint (anonymous, with Basic credentials, or by
 * exchanging an identity token). Tokens are cached per realm, service and scope until they expire.
 */
final class TokenAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_TOKEN_RESPONSE = 1 << 20;
    private record Key(String realm, String service, String scope, String user) {}
    private record Token(String header, long expiresAtNanos) {}

    private final Timing timing;
    private final ConcurrentHashMap<Key, Token> cache = new ConcurrentHashMap<>();

    TokenAuthenticator(Timing timing) {
        this.timing = timing;
    }

    /** A header to send before any challenge: only a registry token is known up front. */
    Optional<String> preemptive(Optional<RegistryAuth> auth) {
        return auth.filter(a -> !a.registryToken().isEmpty()).map(a -> "Bearer " + a.registryToken());
    }

    /** The cached header for this challenge, if still valid. */
    Optional<String> cached(AuthChallenge challenge, String scope, Optional<RegistryAuth> auth) {
        Token t = cache.get(key(challenge, scope, auth));
        return t != null && t.expiresAtNanos - timing.nanoTime() > 0 ? Optional.of(t.header) : Optional.empty();
    }

    /** Answers {@code challenge} for {@code scope}; throws UNAUTHENTICATED when it cannot. */
    String answer(HttpClient client, AuthChallenge challenge, String scope, Optional<RegistryAuth> auth)
            throws IOException, InterruptedException {
        if (challenge.scheme().equals("basic")) {
            RegistryAuth a = auth.filter(RegistryAuth::hasBasic).orElseThrow(() -> unauthenticated(
                    "the registry wants a username and password and none were given"));
            return basic(a);
        }
        if (!challenge.scheme().equals("bearer") || challenge.param("realm").isEmpty()) {
            throw unauthenticated("unsupported authentication challenge \"" + challenge.scheme() + "\"");
        }
        Key key = key(challenge, scope, auth);
        Token token = fetch(client, challenge, scope, auth);
        cache.put(key, token);
        return token.header;
    }

    private Token fetch(HttpClient client, AuthChallenge c, String scope, Optional<RegistryAuth> auth)
            throws IOException, InterruptedException {
        String service = c.param("service");
        String realm = c.param("realm");
        HttpRequest.Builder req;
        if (auth.isPresent() && !auth.get().identityToken().isEmpty()) {
            // OAuth2 refresh-token grant, as docker and containerd exchange identity tokens
            String form = "grant_type=refresh_token&client_id=berth&service=" + enc(service) + "&scope=" + enc(scope)
                    + "&refresh_token=" + enc(auth.get().identityToken());
            req = HttpRequest.newBuilder(URI.create(realm)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            String sep = realm.contains("?") ? "&" : "?";
            URI uri = URI.create(realm + sep + "service=" + enc(service) + (scope.isEmpty() ? "" : "&scope=" + enc(scope)));
            req = HttpRequest.newBuilder(uri).GET();
            auth.filter(RegistryAuth::hasBasic).ifPresent(a -> req.header("Authorization", basic(a)));
        }
        HttpResponse<byte[]> resp = client.send(req.timeout(Duration.ofSeconds(30)).build(),
                BoundedBody.of(MAX_TOKEN_RESPONSE, "token response from " + realm));
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw unauthenticated("the token service " + realm + " refused the credentials (HTTP " + resp.statusCode() + ")");
        }
        if (resp.statusCode() != 200) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE,
                    "token service " + realm + " answered HTTP " + resp.statusCode());
        }
        JsonNode body = JSON.readTree(resp.body());
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw unauthenticated("the token service " + realm + " returned no token");
        }
        long seconds = Math.max(60, body.path("expires_in").asLong(60));
        // renew a little early so a token does not expire mid-request
        return new Token("Bearer " + token, timing.nanoTime() + Duration.ofSeconds(seconds - 10).toNanos());
    }

    private static Key key(AuthChallenge c, String scope, Optional<RegistryAuth> auth) {
        return new Key(c.param("realm"), c.param("service"), scope,
                auth.map(a -> a.effectiveUsername() + "/" + a.identityToken().hashCode()).orElse(""));
    }

    static String basic(RegistryAuth a) {
        String raw = a.effectiveUsername() + ":" + a.effectivePassword();
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static ImageException unauthenticated(String why) {
        return new ImageException(ImageException.Kind.UNAUTHENTICATED, why);
    }
}
