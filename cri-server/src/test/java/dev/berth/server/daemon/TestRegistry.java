package dev.berth.server.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Debian's docker-registry on 127.0.0.1 with a random port and temp storage, and the push side
 * of the distribution API for the one-layer images the tests build (a trimmed copy of
 * image-service's test helper: this module does not depend on that module's tests).
 */
final class TestRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static TestRegistry start(Path dir) throws Exception {
        int port = TestConfigs.freePort();
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
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new TestRegistry(p, port);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("docker-registry did not listen on port " + port);
    }

    /** {@code 127.0.0.1:<port>}, the registry part of the references the tests pull. */
    String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Writes {@code <certsDir>/<host>/hosts.toml} sending this registry's host to itself over
     * plain HTTP (without it, a pull would try HTTPS).
     */
    void writeHostsToml(Path certsDir) throws IOException {
        Path hostDir = Files.createDirectories(certsDir.resolve(host()));
        Files.writeString(hostDir.resolve("hosts.toml"), "server = \"http://" + host() + "\"\n");
    }

    /** Pushes a one-layer image: the layer holds {@code files} (name to content), the config says {@code user}. */
    Pushed push(String repo, String tag, String user, String... files) throws Exception {
        return pushImage(repo, tag, "\"User\":\"" + user + "\",\"Cmd\":[\"/hello\"]", Tar.of(files));
    }

    /** Pushes a one-layer image made of {@code tar}; {@code configFields} is the inside of the config's "config" object. */
    Pushed pushImage(String repo, String tag, String configFields, byte[] tar) throws Exception {
        byte[] layer = gzip(tar);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{" + configFields
                + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + sha256(tar) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        pushBlob(repo, config);
        pushBlob(repo, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
                + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo
                + "/manifests/" + tag)).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .header("Content-Type", OCI_MANIFEST).build(), HttpResponse.BodyHandlers.ofString());
        check(r, 201);
        return new Pushed(host() + "/" + repo + ":" + tag, host() + "/" + repo + "@" + sha256(manifest), sha256(config),
                config.length + layer.length);
    }

    /**
     * @param reference what the tests pull
     * @param digestReference {@code repo@<manifest digest>}
     * @param id the config digest, CRI's image ID
     * @param size config plus compressed layer bytes, as the image service reports
     */
    record Pushed(String reference, String digestReference, String id, long size) {}

    private void pushBlob(String repo, byte[] data) throws Exception {
        URI start = URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/");
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        check(open, 202);
        URI location = start.resolve(open.headers().firstValue("Location").orElseThrow());
        String sep = location.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + sha256(data)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).header("Content-Type", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        check(put, 201);
    }

    private static void check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws Exception {
        http.close();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** A minimal ustar writer: regular files owned by root, mode 0644 (0755 for names without a dot). */
    static final class Tar {
        private Tar() {}

        /** @param files alternating names and contents */
        static byte[] of(String... files) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < files.length; i += 2) {
                byte[] content = files[i + 1].getBytes(StandardCharsets.UTF_8);
                out.writeBytes(header(files[i], content.length, files[i].contains(".") ? 0644 : 0755));
                out.writeBytes(content);
                out.writeBytes(new byte[(512 - content.length % 512) % 512]);
            }
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }

        private static byte[] header(String name, long size, int mode) {
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, octal(mode, 7));
            put(h, 108, octal(0, 7));
            put(h, 116, octal(0, 7));
            put(h, 124, octal(size, 11));
            put(h, 136, octal(1_700_000_000L, 11));
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, octal(sum, 6));
            h[154] = 0;
            return h;
        }

        private static String octal(long value, int digits) {
            return String.format("%0" + digits + "o", value);
        }

        private static void put(byte[] h, int offset, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, h, offset, b.length);
        }
    }
}
