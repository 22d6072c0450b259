package dev.berth.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing, tokens and the SPDY upgrade handshake, over real connections. */
class StreamingServerTest {
    private static final StreamRequest.Exec EXEC = new StreamRequest.Exec("c1", List.of("ls"), false, false, true, false);
    private static final Map<String, String> SPDY_V4 = Map.of("Connection", "Upgrade", "Upgrade", "SPDY/3.1",
            "X-Stream-Protocol-Version", "v4.channel.k8s.io");

    @Test
    void urlsNameTheSchemeHostBoundPortKindAndToken() throws Exception {
        try (ServerFixture fixture = new ServerFixture()) {
            assertTrue(fixture.server.issue(EXEC).matches("http://127\\.0\\.0\\.1:" + fixture.port() + "/exec/[A-Za-z0-9_-]{22}"));
            assertTrue(fixture.server.issue(new StreamRequest.Attach("c1", false, false, true, false))
                    .startsWith("http://127.0.0.1:" + fixture.port() + "/attach/"));
            assertTrue(fixture.server.issue(new StreamRequest.PortForward("p", List.of()))
                    .startsWith("http://127.0.0.1:" + fixture.port() + "/portforward/"));
        }
        try (ServerFixture wildcard = new ServerFixture("0.0.0.0", Optional.empty())) {
            assertEquals("http://127.0.0.1:" + wildcard.port() + "/exec/t", wildcard.server.url(StreamKind.EXEC, "t"));
        }
    }

    @Test
    void unknownUsedExpiredOrMisroutedTokensAre404() throws Exception {
        try (ServerFixture fixture = new ServerFixture()) {
            assertEquals(404, SpdyTestClient.request(fixture.port(), "GET", "/exec/nope", SPDY_V4).status());

            String used = fixture.path(EXEC);
            SpdyTestClient.upgrade(fixture.port(), used, "v4.channel.k8s.io").close();
            SpdyTestClient.HttpAnswer again = SpdyTestClient.request(fixture.port(), "GET", used, SPDY_V4);
            assertEquals(404, again.status());
            assertTrue(again.body().contains("unknown, already used or expired"), again.body());

            String expired = fixture.path(EXEC);
            fixture.clock.advance(Duration.ofMinutes(1));
            assertEquals(404, SpdyTestClient.request(fixture.port(), "GET", expired, SPDY_V4).status());

            String exec = fixture.path(EXEC);
            assertEquals(404, SpdyTestClient.request(fixture.port(), "GET", exec.replace("/exec/", "/attach/"), SPDY_V4).status());
            assertEquals(404, SpdyTestClient.request(fixture.port(), "GET", exec, SPDY_V4).status(), "used up by the wrong route");

            for (String path : List.of("/exec", "/exec/", "/exec/a/b", "/nope/" + fixture.tokens.issue(EXEC), "/")) {
                assertEquals(404, SpdyTestClient.request(fixture.port(), "GET", path, SPDY_V4).status(), path);
            }
            assertEquals(List.of(), fixture.commands.requests);
        }
    }

    @Test
    void methodsOtherThanGetAndPostAre405() throws Exception {
        try (ServerFixture fixture = new ServerFixture()) {
            assertEquals(405, SpdyTestClient.request(fixture.port(), "PUT", fixture.path(EXEC), SPDY_V4).status());
        }
    }

    @Test
    void theClientsFirstProtocolTheServerKnowsIsChosen() throws Exception {
        try (ServerFixture fixture = new ServerFixture();
                SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(EXEC),
                        "v5.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io")) {
            assertEquals("v3.channel.k8s.io", client.answer.header("X-Stream-Protocol-Version"));
        }
    }

    @Test
    void noCommonProtocolIs403ListingWhatTheServerAccepts() throws Exception {
        try (ServerFixture fixture = new ServerFixture()) {
            SpdyTestClient.HttpAnswer answer = SpdyTestClient.request(fixture.port(), "POST", fixture.path(EXEC),
                    Map.of("Connection", "Upgrade", "Upgrade", "SPDY/3.1", "X-Stream-Protocol-Version", "v9.channel.k8s.io"));
            assertEquals(403, answer.status());
            assertEquals(List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"),
                    answer.headers().get("x-accepted-stream-protocol-versions"));
            assertTrue(answer.body().startsWith("unable to upgrade: unable to negotiate protocol"), answer.body());

            SpdyTestClient.HttpAnswer portForward = SpdyTestClient.request(fixture.port(), "POST",
                    fixture.path(new StreamRequest.PortForward("p", List.of())), SPDY_V4);
            assertEquals(403, portForward.status());
            assertEquals(List.of("portforward.k8s.io"), portForward.headers().get("x-accepted-stream-protocol-versions"));
        }
    }

    @Test
    void missingProtocolOrUpgradeHeadersAre400() throws Exception {
        try (ServerFixture fixture = new ServerFixture()) {
            SpdyTestClient.HttpAnswer noVersion = SpdyTestClient.request(fixture.port(), "POST", fixture.path(EXEC),
                    Map.of("Connection", "Upgrade", "Upgrade", "SPDY/3.1"));
            assertEquals(400, noVersion.status());
            assertTrue(noVersion.body().contains("X-Stream-Protocol-Version is required"), noVersion.body());

            SpdyTestClient.HttpAnswer noUpgrade = SpdyTestClient.request(fixture.port(), "POST", fixture.path(EXEC),
                    Map.of("X-Stream-Protocol-Version", "v4.channel.k8s.io"));
            assertEquals(400, noUpgrade.status());
            assertTrue(noUpgrade.body().contains("missing upgrade headers"), noUpgrade.body());
        }
    }

    @Test
    void webSocketUpgradesGoToTheWebSocketSide() throws Exception {
        try (ServerFixture fixture = new ServerFixture()) {
            SpdyTestClient.HttpAnswer answer = SpdyTestClient.request(fixture.port(), "GET", fixture.path(EXEC),
                    Map.of("Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
                            "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol", "v4.channel.k8s.io"));
            assertEquals(101, answer.status(), "the WebSocket side takes the connection");
        }
    }

    @Test
    void servesExecOverTls(@TempDir Path dir) throws Exception {
        SslContext tls = selfSignedTls(dir);
        try (ServerFixture fixture = new ServerFixture("127.0.0.1", Optional.of(tls))) {
            fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> {
                p.print("secret");
                return 0;
            }));
            String url = fixture.server.issue(EXEC);
            assertTrue(url.startsWith("https://127.0.0.1:" + fixture.port() + "/exec/"), url);
            assertThrows(IOException.class, () -> SpdyTestClient.request(fixture.port(), "GET", "/exec/nope", SPDY_V4),
                    "plain HTTP on the TLS port");
            try (SpdyTestClient client = SpdyTestClient.upgrade(trustingTls(fixture.port()), java.net.URI.create(url).getPath(),
                    "v4.channel.k8s.io")) {
                SpdyTestClient.Stream error = client.openReplied("error");
                SpdyTestClient.Stream stdout = client.openReplied("stdout");
                assertEquals("secret", stdout.awaitFin());
                assertEquals("{\"metadata\":{},\"status\":\"Success\"}", error.awaitFin());
                client.awaitEnd();
            }
            assertEquals(404, SpdyTestClient.request(trustingTls(fixture.port()), "GET", "/exec/nope", SPDY_V4).status());
        }
    }

    @Test
    void aConnectionWithNoTrafficForTheIdleTimeoutIsClosed() throws Exception {
        StreamLimits limits = new StreamLimits(Duration.ofMillis(500), Duration.ofSeconds(2), 64 * 1024);
        try (ServerFixture fixture = new ServerFixture("127.0.0.1", Optional.empty(), limits)) {
            fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> {
                p.print("quiet now");
                Thread.sleep(Long.MAX_VALUE);
                return 0;
            }));
            try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(EXEC), "v4.channel.k8s.io")) {
                client.openReplied("error");
                client.openReplied("stdout").awaitText("quiet now");
                client.awaitEnd();
            }
            assertTrue(fixture.commands.processes.getFirst().awaitClosed());
        }
    }

    @Test
    void aConnectionThatSendsNoRequestIsClosedAfterTheStreamCreationTimeout() throws Exception {
        try (ServerFixture fixture = new ServerFixture(); Socket silent = new Socket("127.0.0.1", fixture.port())) {
            silent.setSoTimeout((int) SpdyTestClient.WAIT_MILLIS);
            assertEquals(-1, silent.getInputStream().read()); // after ServerFixture.LIMITS' 2 s
        }
    }

    @Test
    void closingTheServerEndsItsSessions() throws Exception {
        ServerFixture fixture = new ServerFixture();
        fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> {
            p.print("running");
            Thread.sleep(Long.MAX_VALUE);
            return 0;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(EXEC), "v4.channel.k8s.io")) {
            client.openReplied("error");
            client.openReplied("stdout").awaitText("running");
            fixture.close();
            client.awaitEnd();
        }
        assertTrue(fixture.commands.processes.getFirst().awaitClosed());
    }

    /** A key pair and certificate for 127.0.0.1 from the JDK's keytool, written as the PEM files Berth is configured with. */
    private static SslContext selfSignedTls(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) keys.getKey("server", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) keys.getCertificate("server");
        Path keyFile = Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
        Path certFile = Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE", cert.getEncoded()));
        return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile()).build();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Socket trustingTls(int port) throws Exception {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        Socket socket = context.getSocketFactory().createSocket("127.0.0.1", port);
        ((javax.net.ssl.SSLSocket) socket).startHandshake();
        return socket;
    }
}
