package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.AttachSession;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExitStatus;
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

/** A state root far longer than a unix socket address holds: every shim socket still works. */
@Tag("root")
class LongStateRootTest {
    private static final int ROOT_BYTES = 150;
    private static final String ID = "0123456789abcdef".repeat(4); // 64 hex, as kubelet's container ids

    @TempDir
    Path dir;

    private Path root;
    private ShimRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        String prefix = dir + "/state-";
        root = Path.of(prefix + "x".repeat(ROOT_BYTES - prefix.length()));
        runtime = ShimRuntime.open(root, CgroupPlacement.none(), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
        }
    }

    @Test
    void createStartAttachExecKillAndDeleteWorkUnderALongStateRoot() throws Exception {
        assertEquals(ROOT_BYTES, root.toString().length());
        assertTrue(root.resolve(ID).resolve("attach.sock").toString().length() > 200, "well past the 107-byte limit");
        Path bundle = TestBundles.bundle(dir, "long", List.of("sh", "-c", "while read l; do echo got:$l; done; sleep 1000"));
        runtime.create(ID, bundle, new CreateOptions(dir.resolve("long.log"), false, true, false));
        assertTrue(Files.exists(root.resolve(ID).resolve("shim.sock")), "the socket is where ContainerDir says");
        runtime.start(ID);
        assertEquals(ContainerStatus.RUNNING, runtime.state(ID).status());

        try (AttachSession session = runtime.attach(ID)) {
            session.writeStdin("hi\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(AttachRootTest.readUntil(session, "got:hi").contains("got:hi"));
        }
        // An exec with a terminal: its console socket lies in the same long directory.
        Spec.Process p = SpecFiles.read(bundle).process();
        ExecProcess exec = runtime.exec(ID, new Spec.Process(true, p.user(), List.of("sh", "-c", "read l; stty size"), p.env(), "/",
                p.capabilities(), null, p.noNewPrivileges(), null, null, null));
        exec.resize(90, 20);
        exec.process().getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
        exec.process().getOutputStream().flush();
        assertTrue(exec.process().waitFor(20, TimeUnit.SECONDS));
        assertTrue(new String(exec.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("20 90"));

        runtime.kill(ID, 9);
        ExitStatus exit = runtime.exit(ID).get(20, TimeUnit.SECONDS);
        assertEquals(137, exit.code());
        assertEquals(ContainerStatus.STOPPED, runtime.state(ID).status());
        runtime.delete(ID, false);
        assertEquals(List.of(), runtime.list());
        assertTrue(Files.notExists(root.resolve(ID)));
    }
}
