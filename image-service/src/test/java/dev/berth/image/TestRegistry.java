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

/**
 * Debian's docker-registry (distribution 2.x) on 127.0.0.1 with a random port and a temp
 * storage dir, plus the push side of the distribution API for images the tests build.
 */
final class TestRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private final Process process;
    final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static TestRegistry start(Path dir) throws Exception {
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
                """.formatted(dir.resolve("storage"), port));
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new TestRegistry(p, port);
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
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(location)
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo
                + "/manifests/" + reference)).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .header("Content-Type", mediaType).build(), HttpResponse.BodyHandlers.ofString());
        check(r, 201);
        return Digest.sha256(manifest);
    }

    private URI startUpload(String repo) throws Exception {
        URI start = URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, 202);
        return start.resolve(r.headers().firstValue("Location").orElseThrow());
    }

    private void put(URI location, String query, byte[] data, String type, int expected) throws Exception {
        String sep = location.getQuery() == null ? "?" : "&";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(location + sep + query))
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
