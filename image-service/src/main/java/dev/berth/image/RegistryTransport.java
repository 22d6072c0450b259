package dev.berth.image;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * HTTP to registries: one HttpClient per host (its own TLS settings), the auth dance on 401,
 * redirects followed by hand (so credentials never go to blob storage on another host), and
 * retries with exponential backoff on 5xx, 429 and cut connections.
 */
final class RegistryTransport implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistryTransport.class.getName());
    private static final int MAX_REDIRECTS = 5;

    /** One request: the scope is the token scope, e.g. {@code repository:library/busybox:pull}. */
    record Call(RegistryHost host, URI uri, Map<String, String> headers, String scope, Optional<RegistryAuth> auth) {}

    private final ImageConfig config;
    private final Timing timing;
    private final PullListener listener;
    private final TokenAuthenticator auth;
    private final ConcurrentHashMap<RegistryHost, HttpClient> clients = new ConcurrentHashMap<>();
    /** The last header that worked per host, scope and user: sent up front, saving a 401 round trip per request. */
    private final ConcurrentHashMap<String, String> lastAuthorization = new ConcurrentHashMap<>();

    RegistryTransport(ImageConfig config, Timing timing, PullListener listener) {
        this.config = config;
        this.timing = timing;
        this.listener = listener;
        this.auth = new TokenAuthenticator(timing);
    }

    /** Sends a GET, retrying as configured; the caller checks the status code of the final response. */
    <T> HttpResponse<T> get(Call call, HttpResponse.BodyHandler<T> handler) throws InterruptedException {
        Duration backoff = config.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            String why;
            try {
                HttpResponse<T> resp = sendOnce(call, handler);
                int code = resp.statusCode();
                if (code < 500 && code != 429) {
                    return resp;
                }
                closeQuietly(resp);
                why = "HTTP " + code;
                if (attempt >= config.retries()) {
                    throw new ImageException(ImageException.Kind.UNAVAILABLE,
                            "registry " + call.host().authority() + " answered " + why + " for " + call.uri()
                                    + " after " + (attempt + 1) + " attempts");
                }
            } catch (IOException e) {
                ImageException inner = unwrap(e);
                if (inner != null) {
                    throw inner;
                }
                if (certificateRejected(e)) {
                    // no retry: the same certificate comes back every time
                    throw new ImageException(ImageException.Kind.UNAVAILABLE, "TLS certificate of registry "
                            + call.host().authority() + " not accepted for " + call.uri() + " (" + e.getMessage()
                            + "); name its CA with ca = \"<file>\" in the host's hosts.toml (image.config_path)"
                            + ", or set skip_verify = true there", e);
                }
                why = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (attempt >= config.retries()) {
                    throw new ImageException(ImageException.Kind.UNAVAILABLE, "cannot reach registry "
                            + call.host().authority() + " for " + call.uri() + " (" + why + ")", e);
                }
            }
            LOG.fine(() -> "retrying " + call.uri());
            listener.retried(call.host().authority(), why);
            timing.sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private <T> HttpResponse<T> sendOnce(Call call, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpClient client = client(call.host());
        String authKey = call.host().authority() + " " + call.scope() + " "
                + call.auth().map(RegistryAuth::effectiveUsername).orElse("");
        Optional<String> authorization = auth.preemptive(call.auth())
                .or(() -> Optional.ofNullable(lastAuthorization.get(authKey)));
        URI uri = call.uri();
        boolean challenged = false;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            boolean sameHost = uri.getAuthority().equals(call.uri().getAuthority());
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().timeout(config.stallTimeout());
            if (sameHost) {
                call.host().headers().forEach((k, vs) -> vs.forEach(v -> req.header(k, v)));
                authorization.ifPresent(a -> req.header("Authorization", a));
            }
            call.headers().forEach(req::header);
            HttpResponse<T> resp = client.send(req.build(), info -> info.statusCode() / 100 == 2
                    ? handler.apply(info) : discarding(handler, info));
            int code = resp.statusCode();
            if (code == 401 && sameHost && !challenged) {
                challenged = true;
                AuthChallenge challenge = AuthChallenge.parse(resp.headers().firstValue("WWW-Authenticate").orElse(""))
                        .orElseThrow(() -> TokenAuthenticator.unauthenticated("registry " + call.host().authority()
                                + " answered 401 without a WWW-Authenticate challenge"));
                Optional<String> cached = auth.cached(challenge, call.scope(), call.auth());
                authorization = Optional.of(cached.isPresent() && !cached.equals(authorization) ? cached.get()
                        : answer(call, client, challenge));
                lastAuthorization.put(authKey, authorization.get());
                hop--;
                continue;
            }
            if (code == 401 || code == 403) {
                throw TokenAuthenticator.unauthenticated("registry " + call.host().authority() + " refused access to "
                        + call.uri().getPath() + " (HTTP " + code + "); check the credentials");
            }
            if (code / 100 == 3 && resp.headers().firstValue("Location").isPresent()) {
                uri = uri.resolve(resp.headers().firstValue("Location").get());
                if ("http".equals(uri.getScheme()) && "https".equals(call.uri().getScheme())) {
                    throw new ImageException(ImageException.Kind.BAD_CONTENT,
                            "registry " + call.host().authority() + " redirected from HTTPS to plain HTTP: " + uri);
                }
                continue;
            }
            return resp;
        }
        throw new ImageException(ImageException.Kind.UNAVAILABLE, "too many redirects for " + call.uri());
    }

    /** The answer to a challenge; a failure names the registry, which the authenticator does not know. */
    private String answer(Call call, HttpClient client, AuthChallenge challenge) throws IOException, InterruptedException {
        try {
            return auth.answer(client, challenge, call.scope(), call.auth());
        } catch (ImageException e) {
            String host = call.host().authority();
            if (e.kind() != ImageException.Kind.UNAUTHENTICATED || e.getMessage().contains(host)) {
                throw e;
            }
            throw new ImageException(e.kind(), "registry " + host + ": " + e.getMessage(), e);
        }
    }

    /** Error and redirect bodies are small; read them and throw them away, typed as the caller expects. */
    @SuppressWarnings("unchecked")
    private static <T> HttpResponse.BodySubscriber<T> discarding(HttpResponse.BodyHandler<T> handler,
            HttpResponse.ResponseInfo info) {
        return (HttpResponse.BodySubscriber<T>) HttpResponse.BodySubscribers.replacing(null);
    }

    private HttpClient client(RegistryHost host) {
        return clients.computeIfAbsent(host, h -> {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(30));
            if ("https".equals(h.api().getScheme())) {
                try {
                    b.sslContext(TlsContexts.forHost(h));
                } catch (Exception e) {
                    throw new ImageException(ImageException.Kind.INVALID_ARGUMENT,
                            "TLS settings for " + h.authority() + " are unusable: " + e.getMessage(), e);
                }
            }
            return b.build();
        });
    }

    private static ImageException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ImageException ie) {
                return ie;
            }
        }
        return null;
    }

    /** A handshake that failed on the server's certificate (untrusted CA, wrong name, expired), not on the network. */
    private static boolean certificateRejected(IOException e) {
        if (!(e instanceof javax.net.ssl.SSLHandshakeException)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(HttpResponse<?> resp) {
        if (resp.body() instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // an error body we no longer need
            }
        }
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
    }
}
