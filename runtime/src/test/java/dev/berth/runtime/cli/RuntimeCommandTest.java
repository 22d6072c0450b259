package dev.berth.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's failures, without containers: exit code 1 and one clear line on stderr. */
class RuntimeCommandTest {
    @TempDir
    Path dir;

    private void assertFails(CliRun run, String message) {
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertTrue(run.err().startsWith("berth-runtime: "), run.err());
        assertTrue(run.err().contains(message), run.err());
    }

    @Test
    void aBundleWithoutConfigIsRefusedNamingIt() {
        Path bundle = dir.resolve("no-bundle");
        CliRun run = CliRun.run(dir.resolve("state"), "create", "--bundle", bundle.toString(), "c1");
        assertFails(run, "bundle " + bundle + " has no config.json");
        assertEquals(1, run.err().lines().count(), "one line, no stack trace: " + run.err());
    }

    @Test
    void aMalformedConfigIsRefusedNamingTheFile() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bundle.resolve("config.json"), "{\"process\": [");
        assertFails(CliRun.run(dir.resolve("state"), "create", "-b", bundle.toString(), "c1"),
                bundle.resolve("config.json") + " is not a valid OCI config");
    }

    @Test
    void aTerminalConfigIsRefusedAsNotSupportedYet() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("tty"));
        Files.writeString(bundle.resolve("config.json"), "{\"process\": {\"terminal\": true, \"args\": [\"sh\"]}, \"root\": {\"path\": \"rootfs\"}}");
        assertFails(CliRun.run(dir.resolve("state"), "create", "-b", bundle.toString(), "c1"), "terminals are not supported yet");
    }

    @Test
    void consoleSocketAndTtyAreRefusedAsNotSupportedYet() {
        assertFails(CliRun.run(dir.resolve("state"), "create", "--console-socket", "/tmp/x.sock", "c1"),
                "--console-socket is not supported yet");
        assertFails(CliRun.run(dir.resolve("state"), "exec", "-t", "c1", "sh"), "--tty is not supported yet");
    }

    @Test
    void anUnknownContainerIsAnErrorForEveryVerb() {
        Path root = dir.resolve("state");
        for (String[] args : new String[][] {{"state", "nope"}, {"start", "nope"}, {"kill", "nope", "KILL"}, {"delete", "nope"},
                {"exec", "nope", "sh"}}) {
            assertFails(CliRun.run(root, args), "container nope not found");
        }
        assertEquals(0, CliRun.run(root, "delete", "--force", "nope").exitCode(), "as runc: delete --force of an unknown id is fine");
    }

    @Test
    void aBadSignalIsReportedBeforeAnythingHappens() {
        assertFails(CliRun.run(dir.resolve("state"), "kill", "c1", "SIGNOPE"), "unknown signal \"SIGNOPE\"");
    }

    @Test
    void usageErrorsExitOneAndPointToHelp() {
        CliRun run = CliRun.run(dir.resolve("state"), "state");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Missing required parameter: 'ID'"), run.err());
        assertTrue(run.err().contains("see 'berth-runtime state --help'"), run.err());
        assertFails(CliRun.run(dir.resolve("state"), "list", "--format", "yaml"), "yaml");
    }

    @Test
    void anEmptyRootListsNothing() {
        Path root = dir.resolve("state");
        CliRun json = CliRun.run(root, "list", "--format", "json");
        assertEquals(0, json.exitCode(), json.toString());
        assertEquals("[]\n", json.out());
        CliRun table = CliRun.run(root, "list");
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", table.out());
    }
}
