package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.AttachSession;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stdin, attach and terminals, for containers and execs. */
@Tag("root")
class AttachRootTest {
    @TempDir
    Path dir;

    private ShimRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        runtime = ShimRuntime.open(dir.resolve("state"), CgroupPlacement.none(), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
        }
    }

    private Path bundle(String id, boolean terminal, String script) throws Exception {
        Path bundle = TestBundles.bundle(dir, id, List.of("sh", "-c", script));
        Spec spec = SpecFiles.read(bundle);
        Spec.Process p = spec.process();
        SpecFiles.write(bundle, new Spec(spec.ociVersion(), new Spec.Process(terminal, p.user(), p.args(), p.env(), p.cwd(),
                p.capabilities(), p.rlimits(), p.noNewPrivileges(), null, null, null), spec.root(), spec.hostname(), null,
                spec.mounts(), null, spec.linux()));
        return bundle;
    }

    static String readUntil(AttachSession session, String wanted) throws Exception {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(wanted)) {
            AttachSession.Output out = session.read();
            if (out == null) {
                break;
            }
            seen.append(new String(out.data(), StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    @Test
    void attachedClientFeedsStdinAndReadsOutput() throws Exception {
        Path bundle = bundle("echo", false, "while read l; do echo out:$l; echo err:$l >&2; done; echo done");
        runtime.create("echo", bundle, new CreateOptions(dir.resolve("echo.log"), false, true, false));
        runtime.start("echo");
        try (AttachSession session = runtime.attach("echo")) {
            session.writeStdin("hello\n".getBytes(StandardCharsets.UTF_8));
            String seen = readUntil(session, "err:hello");
            assertTrue(seen.contains("out:hello") && seen.contains("err:hello"), seen);
            session.closeStdin();
            assertTrue(readUntil(session, "done").contains("done"));
        }
        assertEquals(0, runtime.exit("echo").get(20, TimeUnit.SECONDS).code());
        List<String> log = Files.readAllLines(dir.resolve("echo.log"));
        assertTrue(log.stream().anyMatch(l -> l.endsWith(" stdout F out:hello")), log.toString());
    }

    @Test
    void stdinOnceClosesStdinWhenTheFirstClientDetaches() throws Exception {
        Path bundle = bundle("once", false, "cat; echo eof-seen");
        runtime.create("once", bundle, new CreateOptions(dir.resolve("once.log"), false, true, true));
        runtime.start("once");
        try (AttachSession session = runtime.attach("once")) {
            session.writeStdin("abc\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(readUntil(session, "abc").contains("abc"));
        }
        assertEquals(0, runtime.exit("once").get(20, TimeUnit.SECONDS).code());
        assertTrue(Files.readString(dir.resolve("once.log")).contains("eof-seen"));
    }

    @Test
    void terminalContainerRunsOnAPtyAndResizes() throws Exception {
        // It waits for a first line: attach shows output from the moment it connects, as in containerd.
        Path bundle = bundle("tty", true, "read l; tty -s && echo IS-TTY; read l; stty size; exit 0");
        runtime.create("tty", bundle, new CreateOptions(dir.resolve("tty.log"), false, true, false));
        runtime.start("tty");
        try (AttachSession session = runtime.attach("tty")) {
            session.writeStdin("hello\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(readUntil(session, "IS-TTY").contains("IS-TTY"));
            session.resize(120, 40);
            session.writeStdin("go\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(readUntil(session, "40 120").contains("40 120"));
        }
        runtime.exit("tty").get(20, TimeUnit.SECONDS);
        assertTrue(Files.readString(dir.resolve("tty.log")).contains("IS-TTY"));
    }

    @Test
    void execWithATerminalGetsAPtyAndResizes() throws Exception {
        Path bundle = bundle("ex", false, "sleep 1000");
        runtime.create("ex", bundle, CreateOptions.defaults());
        runtime.start("ex");
        Spec.Process p = SpecFiles.read(bundle).process();
        ExecProcess exec = runtime.exec("ex", new Spec.Process(true, p.user(), List.of("sh", "-c", "tty -s && echo EXEC-TTY; read l; stty size"),
                p.env(), "/", p.capabilities(), null, p.noNewPrivileges(), null, null, null));
        exec.resize(100, 30);
        exec.process().getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
        exec.process().getOutputStream().flush();
        assertTrue(exec.process().waitFor(20, TimeUnit.SECONDS));
        String out = new String(exec.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("EXEC-TTY"), out);
        assertTrue(out.contains("30 100"), out);
        assertEquals(0, exec.process().exitValue());
    }
}
