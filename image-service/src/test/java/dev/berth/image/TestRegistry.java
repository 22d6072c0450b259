package dev.berth.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * Debian's docker-registry (distribution 2.x) on 127.0.0.1 with a random port and a temp
 * storage dir, plus the push side of the distribution API for images the tests build.
 */
final class TestRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private final Process process;
    final int port;
    private final Options options;
    private final HttpClient http;

    /**
     * How the registry serves: TLS with {@code certificate}/{@code key} (the push side then trusts
     * {@code clientTls}), and Basic auth from a bcrypt {@code htpasswd} file (the push side sends
     * {@code user}/{@code password}). Nulls mean plain HTTP, no auth.
     */
    record Options(Path certificate, Path key, SSLContext clientTls, Path htpasswd, String user, String password) {
        static final Options PLAIN = new Options(null, null, null, null, null, null);

        Options tls(Path certificate, Path key, SSLContext clientTls) {
            return new Options(certificate, key, clientTls, htpasswd, user, password);
        }

        Options htpasswd(Path file, String user, String password) {
            return new Options(certificate, key, clientTls, file, user, password);
        }

        String scheme() {
            return certificate == null ? "http" : "https";
        }

        String yaml() {
            StringBuilder y = new StringBuilder();
            if (certificate != null) {
                y.append("  tls:\n    certificate: ").append(certificate).append("\n    key: ").append(key).append('\n');
            }
            if (htpasswd != null) {
                y.append("auth:\n  htpasswd:\n    realm: berth-test\n    path: ").append(htpasswd).append('\n');
            }
            return y.toString();
        }
    }

    private TestRegistry(Process process, int port, Options options) {
        this.process = process;
        this.port = port;
        this.options = options;
        HttpClient.Builder b = HttpClient.newBuilder();
        if (options.clientTls() != null) {
            b.sslContext(options.clientTls());
        }
        this.http = b.build();
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static TestRegistry start(Path dir) throws Exception {
        return start(dir, Options.PLAIN);
    }

    static TestRegistry start(Path dir, Options options) throws Exception {
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port) + options.yaml());
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new TestRegistry(p, port, options);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("docker-registry did not listen on " + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /** The registry's base URL, e.g. {@code https://127.0.0.1:PORT}. */
    String url() {
        return options.scheme() + "://" + host();
    }

    /** A request with the push side's credentials, if the registry wants some. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (options.user() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (options.user() + ":" + options.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return b;
    }

    /** Monolithic upload: POST to open a session, PUT with the digest and all bytes. */
    Digest pushBlob(String repo, byte[] data) throws Exception {
        Digest d = Digest.sha256(data);
        URI location = startUpload(repo);
        put(location, "digest=" + d, data, "application/octet-stream", 201);
        return d;
    }

    /** Chunked upload: PATCHes of {@code chunk} bytes with Content-Range, then the closing PUT. */
    Digest pushBlobChunked(String repo, byte[] data, int chunk) throws Exception {
        Digest d = Digest.sha256(data);
        URI location = startUpload(repo);
        for (int off = 0; off < data.length; off += chunk) {
            int end = Math.min(data.length, off + chunk);
            byte[] part = java.util.Arrays.copyOfRange(data, off, end);
            HttpResponse<String> r = http.send(request(location)
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", off + "-" + (end - 1)).build(), HttpResponse.BodyHandlers.ofString());
            check(r, 202);
            location = location.resolve(r.headers().firstValue("Location").orElseThrow());
        }
        put(location, "digest=" + d, new byte[0], "application/octet-stream", 201);
        return d;
    }

    Digest pushManifest(String repo, String reference, byte[] manifest, String mediaType) throws Exception {
        HttpResponse<String> r = http.send(request(URI.create(url() + "/v2/" + repo
                + "/manifests/" + reference)).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .header("Content-Type", mediaType).build(), HttpResponse.BodyHandlers.ofString());
        check(r, 201);
        return Digest.sha256(manifest);
    }

    private URI startUpload(String repo) throws Exception {
        URI start = URI.create(url() + "/v2/" + repo + "/blobs/uploads/");
        HttpResponse<String> r = http.send(request(start).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, 202);
        return start.resolve(r.headers().firstValue("Location").orElseThrow());
    }

    private void put(URI location, String query, byte[] data, String type, int expected) throws Exception {
        String sep = location.getQuery() == null ? "?" : "&";
        HttpResponse<String> r = http.send(request(URI.create(location + sep + query))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).header("Content-Type", type).build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, expected);
    }

    private static void check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    @Override
    public void close() throws Exception {
        http.close();
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
