package dev.berth.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exec and attach over SPDY against a real streaming server, with fake processes. */
class SpdyRemoteCommandTest {
    private static final String V4 = "v4.channel.k8s.io";
    private static final List<String> SH_EXIT_3 = List.of("sh", "-c", "exit 3");
    private static final String EXIT_3_STATUS = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero"
            + " exit code: error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
            + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
    private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

    private ServerFixture fixture;

    @BeforeEach
    void start() throws IOException {
        fixture = new ServerFixture();
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
    }

    private static StreamRequest.Exec exec(List<String> command, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        return new StreamRequest.Exec("c1", command, tty, stdin, stdout, stderr);
    }

    @Test
    void v4ExecCopiesStdinStdoutStderrAndEndsWithASuccessStatus() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(true, true, true).start(p -> {
            String in = new String(p.programStdin().readAllBytes(), StandardCharsets.UTF_8);
            p.print(in.toUpperCase(Locale.ROOT));
            p.printErr("done");
            return 0;
        }));
        StreamRequest.Exec request = exec(List.of("cat"), false, true, true, true);
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(request), V4, "v3.channel.k8s.io")) {
            assertEquals(V4, client.answer.header("X-Stream-Protocol-Version"));
            assertEquals("SPDY/3.1", client.answer.header("Upgrade"));
            assertEquals("Upgrade", client.answer.header("Connection"));
            SpdyTestClient.Stream error = client.openReplied("error");
            // Go's SPDY framer fails the whole connection on a reply with an empty header block.
            assertTrue(error.replyHeaderCount() > 0);
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            SpdyTestClient.Stream stderr = client.openReplied("stderr");
            stdin.send("hello ");
            stdin.send("world");
            stdin.finish();
            assertEquals("HELLO WORLD", stdout.awaitFin());
            assertEquals("done", stderr.awaitFin());
            assertEquals(SUCCESS, error.awaitFin());
            client.awaitEnd();
            assertTrue(client.goAwayReceived());
        }
        assertEquals(List.of(request), fixture.commands.requests);
        assertTrue(fixture.commands.processes.getFirst().awaitClosed());
    }

    @Test
    void v4ExecWithANonZeroExitEndsWithAFailureStatusCarryingTheExitCode() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> {
            p.print("out");
            return 3;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(SH_EXIT_3, false, false, true, false)), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            assertEquals("out", stdout.awaitFin());
            assertEquals(EXIT_3_STATUS, error.awaitFin());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"})
    void olderProtocolsWriteOnlyAFailureMessageToTheErrorStream(String protocol) throws Exception {
        fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> 3));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(SH_EXIT_3, false, false, true, false)), protocol)) {
            assertEquals(protocol, client.answer.header("X-Stream-Protocol-Version"));
            SpdyTestClient.Stream error = client.openReplied("error");
            client.openReplied("stdout");
            assertEquals("command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3", error.awaitFin());
        }
        fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> 0));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(SH_EXIT_3, false, false, true, false)), protocol)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            client.openReplied("stdout");
            assertEquals("", error.awaitFin());
        }
    }

    @Test
    void execThatCannotStartEndsWithAnInternalErrorStatus() throws Exception {
        fixture.commands.answer(request -> {
            throw new IllegalStateException("container c1 is not running");
        });
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("ls"), false, false, true, false)), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            assertEquals("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: error executing command in container:"
                    + " container c1 is not running\",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":\"error executing"
                    + " command in container: container c1 is not running\"}]},\"code\":500}", error.awaitFin());
            assertEquals("", stdout.awaitFin());
            client.awaitEnd();
        }
    }

    @Test
    void ttySessionPassesTerminalResizesAndHasNoStderrStream() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(true, true, false).start(p -> {
            p.programStdin().readAllBytes();
            p.print("bye");
            return 0;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("sh"), true, true, true, false)), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            SpdyTestClient.Stream resize = client.openReplied("resize");
            resize.send("{\"Width\":80,\"Height\":24}\n{\"Width\":120,");
            resize.send("\"Height\":40}\n");
            SpdyTestClient.await(() -> !fixture.commands.processes.isEmpty()
                    && fixture.commands.processes.getFirst().resizes.size() == 2, "two resizes");
            assertEquals(List.of("80x24", "120x40"), fixture.commands.processes.getFirst().resizes);
            stdin.finish();
            assertEquals("bye", stdout.awaitFin());
            assertEquals(SUCCESS, error.awaitFin());
        }
    }

    @Test
    void v2TtySessionStartsWithoutAResizeStreamAndIgnoresUnknownStreams() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(true, true, false).start(p -> {
            p.programStdin().readAllBytes();
            return 0;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("sh"), true, true, true, false)),
                "v2.channel.k8s.io")) {
            SpdyTestClient.Stream error = client.openReplied("error");
            client.openReplied("bogus").send("dropped");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            SpdyTestClient.await(() -> fixture.commands.requests.size() == 1, "the process to start");
            stdin.finish();
            assertEquals("", stdout.awaitFin());
            assertEquals("", error.awaitFin());
        }
    }

    @Test
    void attachEndsWithSuccessWhateverTheContainerExitCode() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(false, true, true).start(p -> {
            p.print("log line");
            return 7;
        }));
        StreamRequest.Attach attach = new StreamRequest.Attach("c1", false, false, true, true);
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(attach), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            SpdyTestClient.Stream stderr = client.openReplied("stderr");
            assertEquals("log line", stdout.awaitFin());
            assertEquals("", stderr.awaitFin());
            assertEquals(SUCCESS, error.awaitFin());
        }
        assertEquals(List.of(attach), fixture.commands.requests);
    }

    @Test
    void clientTooSlowToOpenItsStreamsIsDisconnectedAndNothingStarts() throws Exception {
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("ls"), false, false, true, false)), V4)) {
            client.openReplied("error");
            client.awaitEnd(); // after ServerFixture.LIMITS' stream-creation timeout of 2 s
        }
        assertEquals(List.of(), fixture.commands.requests);
    }

    @Test
    void clientThatGoesAwayClosesTheProcessAndFreesItsPumps() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(true, true, true).start(p -> {
            p.print("ready");
            p.programStdin().readAllBytes(); // never ends: the client does not close stdin
            return 0;
        }));
        FakeProcess process;
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("cat"), false, true, true, true)), V4)) {
            client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            client.openReplied("stderr");
            stdin.send("x");
            stdout.awaitText("ready");
            process = fixture.commands.processes.getFirst();
        }
        assertTrue(process.awaitClosed());
        SpdyTestClient.await(() -> process.stdoutPipe.activeReaders() == 0 && process.stderrPipe.activeReaders() == 0,
                "the output pumps to stop reading");
    }

    @Test
    void outputBeyondTheSpdyWindowReachesAClientThatSendsNoWindowUpdates() throws Exception {
        String megabyte = "0123456789abcdef".repeat(64 * 1024);
        fixture.commands.answer(request -> new FakeProcess(false, true, false).start(p -> {
            p.print(megabyte);
            return 0;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("cat", "big"), false, false, true, false)), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            assertEquals(megabyte.length(), stdout.awaitFin().length()); // as kubectl's spdystream: no WINDOW_UPDATE ever
            assertEquals(SUCCESS, error.awaitFin());
        }
    }

    @Test
    void stdinBeyondTheStreamBufferIsDeliveredWhileTheProcessReadsSlowly() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(true, true, false).start(p -> {
            byte[] chunk = new byte[4096];
            long total = 0;
            for (int n; (n = p.programStdin().read(chunk)) >= 0; ) {
                total += n;
                Thread.sleep(1);
            }
            p.print(Long.toString(total));
            return 0;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("wc", "-c"), false, true, true, false)), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            String chunk = "x".repeat(32 * 1024);
            for (int i = 0; i < 16; i++) {
                stdin.send(chunk); // 512 KiB: eight times the stream's buffer
            }
            stdin.finish();
            assertEquals(Integer.toString(16 * chunk.length()), stdout.awaitFin());
            assertEquals(SUCCESS, error.awaitFin());
        }
    }

    @Test
    void hundredConcurrentSessionsAllCompleteAndLeaveNoFileDescriptorsBehind() throws Exception {
        fixture.commands.answer(request -> new FakeProcess(true, true, false).start(p -> {
            p.print(new String(p.programStdin().readAllBytes(), StandardCharsets.UTF_8));
            return 0;
        }));
        runEcho(0); // warms up lazily opened descriptors (epoll, class files)
        long before = openFileDescriptors();
        List<Thread> clients = new java.util.ArrayList<>();
        java.util.Set<Integer> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 1; i <= 100; i++) {
            int n = i;
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    runEcho(n);
                    done.add(n);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        assertEquals(100, done.size());
        SpdyTestClient.await(() -> openFileDescriptors() <= before, "descriptors back to " + before + " (now " + openFileDescriptors() + ")");
        assertEquals(101, fixture.commands.processes.stream().filter(p -> p.closed.getCount() == 0).count());
    }

    private void runEcho(int n) throws Exception {
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("cat"), false, true, true, false)), V4)) {
            SpdyTestClient.Stream error = client.openReplied("error");
            SpdyTestClient.Stream stdin = client.openReplied("stdin");
            SpdyTestClient.Stream stdout = client.openReplied("stdout");
            stdin.send("session " + n);
            stdin.finish();
            assertEquals("session " + n, stdout.awaitFin());
            assertEquals(SUCCESS, error.awaitFin());
            client.awaitEnd();
        }
    }

    private static long openFileDescriptors() {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void slowReaderHoldsTheProcessBackInsteadOfBufferingItsOutput() throws Exception {
        AtomicLong produced = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (closed.get()) {
                    return -1;
                }
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                produced.addAndGet(len);
                return len;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        fixture.commands.answer(request -> new FakeProcess(false, true, false).withStdout(endless).start(p -> {
            while (!closed.get()) {
                Thread.sleep(10);
            }
            return 0;
        }));
        try (SpdyTestClient client = SpdyTestClient.upgrade(fixture.port(), fixture.path(exec(List.of("yes"), false, false, true, false)), V4)) {
            client.openReplied("error");
            client.pauseReading(true);
            client.open("streamtype", "stdout");
            long last = -1;
            long settled = produced.get();
            for (int i = 0; i < 100 && settled != last; i++) {
                last = settled;
                Thread.sleep(200);
                settled = produced.get();
            }
            assertEquals(last, settled, "the process is still allowed to write");
            assertTrue(settled >= 64 * 1024, settled + " bytes: the session never ran");
            // socket buffers on both ends plus one stream's bound; never the whole endless output
            assertTrue(settled < 32L * 1024 * 1024, settled + " bytes produced while the client read nothing");
        }
        assertTrue(fixture.commands.processes.getFirst().awaitClosed());
    }
}
