package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon killed with SIGKILL loses no container, no log line and no exit status. */
@Tag("root")
class DaemonCrashRootTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requireRoot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
    }

    @Test
    void containerOutlivesADaemonKilledWithSigkillAndKeepsEveryLogLine() throws Exception {
        Path state = dir.resolve("state");
        Path log = dir.resolve("crash.log");
        Path bundle = TestBundles.bundle(dir, "crash", List.of("sh", "-c",
                "i=0; while [ $i -lt 60 ]; do echo line $i; i=$((i+1)); sleep 0.05; done; exit 5"));
        // Native access as bin/berth grants it (the runtime reaches shim sockets through jnr-ffi).
        Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), CreateAndHang.class.getName(),
                state.toString(), "crash", bundle.toString(), log.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream()))) {
            String line = out.readLine();
            assertEquals("started", line, "the stand-in daemon started the container");
        }
        Thread.sleep(500); // the container is writing
        daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL

        ShimRuntime restarted = ShimRuntime.open(state, CgroupPlacement.none(), Clock.systemUTC());
        assertEquals(ContainerStatus.RUNNING, restarted.state("crash").status(), "the container survived the daemon");
        ExitStatus exit = restarted.exit("crash").get(30, TimeUnit.SECONDS);
        assertEquals(5, exit.code(), "the real exit code, read after the restart");

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expected.add("line " + i);
        }
        List<String> logged = Files.readAllLines(log).stream().map(l -> l.split(" ", 4)[3]).toList();
        assertEquals(expected, logged, "no log line lost while the daemon was down");
        assertTrue(Files.exists(state.resolve("crash/exit")));
        restarted.delete("crash", false);
    }
}
