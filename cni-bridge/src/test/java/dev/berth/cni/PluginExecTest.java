package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running single plugins: deadlines, error objects, output caps. Real processes, no root. */
class PluginExecTest {
    @TempDir
    Path dir;

    private FakePlugins plugins;

    @BeforeEach
    void setUp() throws Exception {
        plugins = new FakePlugins(dir);
    }

    private PluginExec exec(Duration timeout, int cap) {
        return new PluginExec(List.of(dir.resolve("missing-dir"), plugins.bin), timeout, cap, new LinuxSyscalls(), new ObjectMapper());
    }

    @Test
    void hangingPluginIsKilledWithItsChildrenAtTheTimeout() throws Exception {
        Path childPid = dir.resolve("child.pid");
        plugins.add("hang", "sleep 60 &\necho $! > '" + childPid + "'\necho 'about to hang' >&2\nwait");
        long start = System.nanoTime();
        CniException e = assertThrows(CniException.class,
                () -> exec(Duration.ofMillis(500), 1 << 20).run("hang", Map.of("CNI_COMMAND", "ADD"), "{}".getBytes(StandardCharsets.UTF_8)));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(CniException.TIMEOUT, e.code());
        assertEquals("hang", e.plugin());
        assertTrue(e.getMessage().contains("CNI plugin hang ADD did not finish within 500 ms and was killed"), e.getMessage());
        assertTrue(e.getMessage().contains("about to hang"), "stderr is reported: " + e.getMessage());
        assertTrue(elapsedMs >= 500 && elapsedMs < 4000, "took " + elapsedMs + " ms");
        long pid = Long.parseLong(Files.readString(childPid).strip());
        assertFalse(runningAfterAWhile(pid), "the plugin's child " + pid + " was killed with its group");
    }

    /** Whether {@code pid} still runs (a zombie waiting for init to reap it does not) after up to 2 s. */
    static boolean runningAfterAWhile(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 40; i++) {
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                    return false;
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Test
    void pluginErrorObjectIsSurfacedWithCodeAndMessage() throws Exception {
        plugins.add("broken", "echo '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"Invalid Configuration\",\"details\":\"Network 192.168.0.0/31 too small to allocate from.\"}'\nexit 1");
        CniException e = assertThrows(CniException.class,
                () -> exec(Duration.ofSeconds(10), 1 << 20).run("broken", Map.of("CNI_COMMAND", "ADD"), new byte[0]));
        assertEquals(7, e.code());
        assertEquals("broken", e.plugin());
        assertEquals("CNI plugin broken ADD failed with code 7: Invalid Configuration (Network 192.168.0.0/31 too small to allocate from.)", e.getMessage());
    }

    @Test
    void failureWithoutErrorObjectReportsStatusAndStderr() throws Exception {
        plugins.add("crash", "echo 'panic: boom' >&2\nexit 3");
        CniException e = assertThrows(CniException.class,
                () -> exec(Duration.ofSeconds(10), 1 << 20).run("crash", Map.of("CNI_COMMAND", "DEL"), new byte[0]));
        assertEquals(CniException.RUNTIME_ERROR, e.code());
        assertEquals("CNI plugin crash DEL exited with status 3; stderr: panic: boom", e.getMessage());
    }

    @Test
    void stdoutBeyondTheCapIsAnError() throws Exception {
        plugins.add("chatty", "head -c 100000 /dev/zero | tr '\\0' x");
        CniException e = assertThrows(CniException.class,
                () -> exec(Duration.ofSeconds(10), 8192).run("chatty", Map.of("CNI_COMMAND", "ADD"), new byte[0]));
        assertTrue(e.getMessage().contains("wrote more than 8192 bytes to stdout"), e.getMessage());
    }

    @Test
    void missingPluginNamesTheDirsSearched() {
        CniException e = assertThrows(CniException.class,
                () -> exec(Duration.ofSeconds(10), 1 << 20).run("nosuch", Map.of("CNI_COMMAND", "ADD"), new byte[0]));
        assertTrue(e.getMessage().startsWith("CNI plugin \"nosuch\" not found in [" + dir.resolve("missing-dir") + ", " + plugins.bin + "]"), e.getMessage());
    }

    @Test
    void environmentHoldsCniPathAndNoInheritedCniVariables() throws Exception {
        plugins.add("ok", "echo '{}'");
        byte[] out = exec(Duration.ofSeconds(10), 1 << 20).run("ok", Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}\n", new String(out, StandardCharsets.UTF_8));
        assertEquals("CNI_COMMAND=VERSION\nCNI_PATH=" + dir.resolve("missing-dir") + ":" + plugins.bin + "\n", plugins.env(0));
        assertEquals("{\"cniVersion\":\"1.0.0\"}", plugins.stdin(0));
    }
}
