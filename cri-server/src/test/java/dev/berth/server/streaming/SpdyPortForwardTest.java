package dev.berth.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Port-forward over SPDY against a real streaming server; the dialer reaches a loopback echo server. */
class SpdyPortForwardTest {
    private static final String PROTOCOL = "portforward.k8s.io";

    private ServerFixture fixture;
    private SpdyTestClient client;

    @BeforeEach
    void start() throws IOException {
        fixture = new ServerFixture();
        client = SpdyTestClient.upgrade(fixture.port(), fixture.path(new StreamRequest.PortForward("pod-1", List.of(80))), PROTOCOL);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        fixture.close();
    }

    private SpdyTestClient.Stream open(String type, int port, String requestId) throws IOException {
        SpdyTestClient.Stream stream = client.open("streamtype", type, "port", Integer.toString(port), "requestid", requestId);
        stream.awaitReply();
        return stream;
    }

    @Test
    void concurrentRequestsAreEachSplicedToTheirOwnConnection() throws Exception {
        assertEquals(PROTOCOL, client.answer.header("X-Stream-Protocol-Version"));
        SpdyTestClient.Stream error0 = open("error", 80, "0");
        SpdyTestClient.Stream error1 = open("error", 8080, "1");
        SpdyTestClient.Stream data0 = open("data", 80, "0");
        SpdyTestClient.Stream data1 = open("data", 8080, "1");
        data0.send("one");
        data1.send("two");
        data0.awaitText("one");
        data1.awaitText("two");

        data0.finish(); // the echo server then closes its side, which ends request 0 only
        assertEquals("one", data0.awaitFin());
        assertEquals("", error0.awaitFin());
        data1.send(" more");
        data1.awaitText("two more");
        data1.finish();
        assertEquals("two more", data1.awaitFin());
        assertEquals("", error1.awaitFin());
        assertEquals(Set.of(80, 8080), new TreeSet<>(fixture.dialed)); // any port the client names, as kubelet allows
    }

    @Test
    void aFailedDialIsReportedOnTheErrorStream() throws Exception {
        fixture.dialer = (podSandboxId, port) -> {
            throw new ConnectException("Connection refused");
        };
        SpdyTestClient.Stream error = open("error", 81, "7");
        SpdyTestClient.Stream data = open("data", 81, "7");
        assertEquals("error forwarding port 81 to pod pod-1, uid : Connection refused", error.awaitFin());
        assertEquals("", data.awaitFin());
    }

    @Test
    void streamsWithoutAPortOrWithAnUnknownTypeAreRefused() throws Exception {
        for (String[] headers : List.of(
                new String[] {"streamtype", "data", "requestid", "1"},
                new String[] {"streamtype", "data", "port", "0", "requestid", "1"},
                new String[] {"streamtype", "data", "port", "http", "requestid", "1"},
                new String[] {"streamtype", "stdin", "port", "80", "requestid", "1"})) {
            SpdyTestClient.Stream stream = client.open(headers);
            stream.awaitReset();
            assertEquals(SpdyStreamStatus.REFUSED_STREAM, stream.reset(), String.join(" ", headers));
        }
    }

    @Test
    void aPairStillIncompleteAfterTheCreationTimeoutIsToldSo() throws Exception {
        SpdyTestClient.Stream error = open("error", 80, "5");
        assertEquals("timed out waiting for the data and error streams of request 5", error.awaitFin());
        // the connection serves further requests
        SpdyTestClient.Stream error6 = open("error", 80, "6");
        SpdyTestClient.Stream data6 = open("data", 80, "6");
        data6.send("still here");
        data6.awaitText("still here");
        data6.finish();
        assertEquals("", error6.awaitFin());
    }

    @Test
    void clientsWithoutRequestIdsArePairedByStreamId() throws Exception {
        SpdyTestClient.Stream error = client.open("streamtype", "error", "port", "80");
        SpdyTestClient.Stream data = client.open("streamtype", "data", "port", "80");
        data.awaitReply();
        data.send("old kubectl");
        data.awaitText("old kubectl");
        data.finish();
        assertEquals("", error.awaitFin());
    }

    @Test
    void clientThatGoesAwayClosesTheDialedSocket() throws Exception {
        open("error", 80, "0");
        SpdyTestClient.Stream data = open("data", 80, "0");
        data.send("ping");
        data.awaitText("ping");
        client.close();
        SpdyTestClient.await(() -> fixture.echo.accepted.size() == 1 && !fixture.echo.accepted.getFirst().isOpen(),
                "the pod-side socket to close");
    }
}
