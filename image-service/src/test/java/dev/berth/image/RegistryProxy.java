package dev.berth.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP proxy in front of the test registry: counts blob GETs (with their Range headers)
 * and injects faults — a 503, a connection cut after some bytes, a stall, corrupted bytes.
 */
final class RegistryProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String upstream;
    final List<String> blobGets = new CopyOnWriteArrayList<>();
    final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    final Map<String, Boolean> stall = new ConcurrentHashMap<>();
    final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    final AtomicInteger unavailable = new AtomicInteger();
    /** "bearer" or "basic" to demand credentials ({@link #USER}:{@link #PASSWORD}); null for none. */
    volatile String auth;
    final AtomicInteger tokensIssued = new AtomicInteger();
    /** Blob GETs are redirected to "storage" on another host name (localhost), as registries send to S3. */
    volatile boolean redirectBlobs;
    /** The Authorization header (or "none") of each request that reached the storage side. */
    final List<String> storageRequests = new CopyOnWriteArrayList<>();
    static final String USER = "alice";
    static final String PASSWORD = "s3cret";
    private static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());

    RegistryProxy(String upstreamHost) throws IOException {
        this.upstream = "http://" + upstreamHost;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    long blobGets(Digest d) {
        return blobGets.stream().filter(s -> s.startsWith(d.toString())).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String digest = path.contains("/blobs/") ? path.substring(path.lastIndexOf('/') + 1) : null;
            if (digest != null && ex.getRequestMethod().equals("GET")) {
                blobGets.add(digest + " " + ex.getRequestHeaders().getFirst("Range"));
            }
            String forwardUri = ex.getRequestURI().toString();
            if (path.startsWith("/storage/")) {
                String a = ex.getRequestHeaders().getFirst("Authorization");
                storageRequests.add(a == null ? "none" : a);
                forwardUri = forwardUri.substring("/storage".length());
            } else if (path.equals("/token")) {
                token(ex);
                return;
            } else if (!authorized(ex)) {
                return;
            } else if (digest != null && redirectBlobs && ex.getRequestMethod().equals("GET")) {
                ex.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/storage" + forwardUri);
                ex.sendResponseHeaders(307, -1);
                return;
            }
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + forwardUri))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            for (String h : List.of("Accept", "Range", "Authorization")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    req.header(h, v);
                }
            }
            HttpResponse<InputStream> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            resp.headers().map().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding") && !k.startsWith(":")) {
                    ex.getResponseHeaders().put(k, vs);
                }
            });
            long length = resp.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(resp.statusCode(), head || length == 0 ? -1 : length);
            try (InputStream in = resp.body(); OutputStream out = ex.getResponseBody()) {
                if (head) {
                    return;
                }
                if (digest != null && Boolean.TRUE.equals(stall.get(digest))) {
                    out.write(in.readNBytes(100));
                    out.flush();
                    while (Boolean.TRUE.equals(stall.get(digest))) {
                        Thread.sleep(20); // until the test lifts the stall
                    }
                    return;
                }
                Integer cut = digest == null ? null : cutAfter.remove(digest);
                byte[] body = cut != null ? in.readNBytes(cut) : in.readAllBytes();
                if (digest != null && Boolean.TRUE.equals(corrupt.get(digest)) && body.length > 20) {
                    body[body.length / 2] ^= 0x5a;
                }
                out.write(body);
                // with a cut, the exchange closes short of Content-Length: the client sees a broken body
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        String mode = auth;
        String given = ex.getRequestHeaders().getFirst("Authorization");
        if (mode == null || (mode.equals("basic") && BASIC.equals(given)) || (mode.equals("bearer") && "Bearer tok-alice".equals(given))) {
            return true;
        }
        ex.getResponseHeaders().add("WWW-Authenticate", mode.equals("basic") ? "Basic realm=\"test\""
                : "Bearer realm=\"http://" + host() + "/token\",service=\"test-registry\",scope=\"repository:x:pull\"");
        ex.sendResponseHeaders(401, -1);
        return false;
    }

    /** The token endpoint: a token only for Basic credentials that match. */
    private void token(HttpExchange ex) throws IOException {
        if (!BASIC.equals(ex.getRequestHeaders().getFirst("Authorization"))
                || !ex.getRequestURI().getQuery().contains("service=test-registry")) {
            ex.sendResponseHeaders(401, -1);
            return;
        }
        tokensIssued.incrementAndGet();
        byte[] body = "{\"token\":\"tok-alice\",\"expires_in\":300}".getBytes();
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}
