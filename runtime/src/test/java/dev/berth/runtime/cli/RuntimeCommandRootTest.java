package dev.berth.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real containers driven through berth-runtime's command line, in-process, as runc's users drive runc. */
@Tag("root")
class RuntimeCommandRootTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void requireRoot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(CliBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        root = dir.resolve("state");
    }

    @AfterEach
    void deleteAll() {
        if (root != null && Files.isDirectory(root)) {
            for (String id : CliRun.run(root, "list", "--quiet").out().lines().toList()) {
                CliRun.run(root, "delete", "--force", id);
            }
        }
    }

    private CliRun ok(String... args) {
        CliRun run = CliRun.run(root, args);
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + ": " + run);
        return run;
    }

    private JsonNode state(String id) throws Exception {
        return JSON.readTree(ok("state", id).out());
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode state = state(id);
        while (!status.equals(state.get("status").asText()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            state = state(id);
        }
        return state;
    }

    private Path running(String id) throws Exception {
        Path bundle = CliBundles.bundle(dir, id, List.of("sleep", "1000"));
        ok("create", "--bundle", bundle.toString(), id);
        ok("start", id);
        return bundle;
    }

    @Test
    void createStartKillDeleteShowInStateAsRuncReportsThem() throws Exception {
        Path bundle = CliBundles.bundle(dir, "c1", List.of("sleep", "1000"));
        Path pidFile = dir.resolve("c1.pid");
        ok("create", "-b", bundle.toString(), "--pid-file", pidFile.toString(), "c1");

        JsonNode created = state("c1");
        assertEquals("created", created.get("status").asText());
        long pid = created.get("pid").asLong();
        assertTrue(pid > 0, created.toString());
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the init waits in the host's /proc");
        assertEquals(Long.toString(pid), Files.readString(pidFile), "runc's pid file: the bare number");
        assertEquals("c1", created.get("id").asText());
        assertEquals(bundle.toString(), created.get("bundle").asText());
        assertEquals(bundle.resolve("rootfs").toString(), created.get("rootfs").asText());
        assertEquals("", created.get("owner").asText());
        assertEquals("cli", created.get("annotations").get("dev.berth.test").asText());
        assertTrue(created.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z"),
                created.toString());

        ok("start", "c1");
        JsonNode running = state("c1");
        assertEquals("running", running.get("status").asText());
        assertEquals(pid, running.get("pid").asLong());
        CliRun again = CliRun.run(root, "start", "c1");
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().startsWith("berth-runtime: container c1 is running"), again.err());

        ok("kill", "c1", "KILL");
        JsonNode stopped = awaitStatus("c1", "stopped");
        assertEquals("stopped", stopped.get("status").asText(), stopped.toString());
        assertEquals(0, stopped.get("pid").asLong());
        CliRun killStopped = CliRun.run(root, "kill", "c1");
        assertEquals(1, killStopped.exitCode(), killStopped.toString());
        assertTrue(killStopped.err().contains("not running"), killStopped.err());

        ok("delete", "c1");
        CliRun gone = CliRun.run(root, "state", "c1");
        assertEquals(1, gone.exitCode(), gone.toString());
        assertEquals("berth-runtime: container c1 not found\n", gone.err());
        assertEquals("", gone.out());
        assertEquals(1, CliRun.run(root, "delete", "c1").exitCode(), "as runc: deleting an unknown id fails unless forced");
        ok("delete", "--force", "c1");
    }

    @Test
    void deleteRefusesARunningContainerUnlessForced() throws Exception {
        running("d1");
        CliRun refused = CliRun.run(root, "delete", "d1");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("container d1 is running"), refused.err());
        assertEquals("running", state("d1").get("status").asText());
        ok("delete", "-f", "d1");
        assertEquals(1, CliRun.run(root, "state", "d1").exitCode());
    }

    @Test
    void termIsTheDefaultSignal() throws Exception {
        Path bundle = CliBundles.bundle(dir, "t1", List.of("sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.1; done"));
        ok("create", "--bundle", bundle.toString(), "t1");
        ok("start", "t1");
        Thread.sleep(300); // let the shell set its trap
        ok("kill", "t1");
        assertEquals("stopped", awaitStatus("t1", "stopped").get("status").asText());
    }

    @Test
    void listAsJsonParsesAndHoldsTheContainers() throws Exception {
        Path bundle = running("l1");
        Path other = CliBundles.bundle(dir, "l2", List.of("sleep", "1000"));
        ok("create", "--bundle", other.toString(), "l2");

        JsonNode list = JSON.readTree(ok("list", "--format", "json").out());
        assertTrue(list.isArray(), list.toString());
        assertEquals(2, list.size(), list.toString());
        JsonNode l1 = list.get(0);
        assertEquals("l1", l1.get("id").asText());
        assertEquals("running", l1.get("status").asText());
        assertEquals(bundle.toString(), l1.get("bundle").asText());
        assertEquals(state("l1").get("pid").asLong(), l1.get("pid").asLong());
        assertEquals("root", l1.get("owner").asText(), "as runc: list names the owner, state leaves it empty");
        assertEquals("l2", list.get(1).get("id").asText());
        assertEquals("created", list.get(1).get("status").asText());

        List<String> table = ok("list").out().lines().toList();
        assertEquals(3, table.size(), table.toString());
        assertTrue(table.get(0).matches("ID +PID +STATUS +BUNDLE +CREATED +OWNER"), table.get(0));
        assertTrue(table.get(1).matches("l1 +\\d+ +running +" + bundle + " +\\S+ +root"), table.get(1));
        assertEquals(List.of("l1", "l2"), ok("list", "-q").out().lines().toList());
    }

    @Test
    void execReturnsTheProgramsExitCodeAndOutput() throws Exception {
        running("e1");
        CliRun run = CliRun.run(root, "exec", "e1", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, run.exitCode(), run.toString());
        assertEquals("out\n", run.out());
        assertEquals("err\n", run.err());
        CliRun echo = CliRun.run(root, "exec", "e1", "echo", "-n", "a b");
        assertEquals(0, echo.exitCode(), echo.toString());
        assertEquals("a b", echo.out());
        assertEquals("", echo.err());
    }

    @Test
    void execStartsFromTheContainersProcessWithTheGivenOverrides() throws Exception {
        running("e2");
        CliRun run = CliRun.run(root, "exec", "-e", "HOME=/tmp", "--env", "EXTRA=1", "--cwd", "/proc", "-u", "65534:65533", "e2",
                "sh", "-c", "echo $FROM_CONFIG $HOME $EXTRA $(pwd) $(id -u):$(id -g)");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("yes /tmp 1 /proc 65534:65533\n", run.out());
    }

    @Test
    void execPassesStdinThrough() throws Exception {
        running("e3");
        CliRun run = CliRun.runWithInput(root, "line one\nline two\n", "exec", "e3", "cat");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("line one\nline two\n", run.out());
    }

    @Test
    void execOfAMissingProgramIsTheRuntimesFailure() throws Exception {
        running("e4");
        CliRun run = CliRun.run(root, "exec", "e4", "no-such-program");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("berth-runtime: cannot exec in container e4: "), run.err());
        assertTrue(run.err().contains("no-such-program"), run.err());
    }

    @Test
    void execInAStoppedContainerFails() throws Exception {
        Path bundle = CliBundles.bundle(dir, "e5", List.of("sh", "-c", "exit 0"));
        ok("create", "--bundle", bundle.toString(), "e5");
        ok("start", "e5");
        awaitStatus("e5", "stopped");
        CliRun run = CliRun.run(root, "exec", "e5", "echo", "hi");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("container e5 is stopped"), run.err());
    }
}
