package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.CheckpointSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How CRIU's presence and `criu check` become {@link CheckpointSupport}, with stand-in scripts for the binary. */
class CriuTest {
    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1_700_000_000L));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private Path criu(String checkOutput, int checkCode) throws Exception {
        Path script = dir.resolve("criu");
        Files.writeString(script, "#!/bin/sh\necho run >> " + dir.resolve("runs") + "\n"
                + "if [ \"$1\" = --version ]; then echo 'Version: 3.17.1'; exit 0; fi\n"
                + "printf '%s\\n' '" + checkOutput + "'\nexit " + checkCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aMissingBinaryIsUnavailableWithWhatToInstall() {
        CheckpointSupport s = new Criu(dir.resolve("nowhere/criu").toString(), clock).support();
        assertFalse(s.available());
        assertTrue(s.reason().contains("install Debian's criu package, or point checkpoint.criu_path"), s.reason());
        assertFalse(new Criu("no-such-criu-on-path", clock).support().available());
    }

    @Test
    void aFailingCheckIsUnavailableWithCriusWordsAndTheVdsoHint() throws Exception {
        Path criu = criu("Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable", 1);
        CheckpointSupport s = new Criu(criu.toString(), clock).support();
        assertFalse(s.available());
        assertEquals("3.17.1", s.criuVersion());
        assertTrue(s.reason().contains("use CRIU 4.1 or newer"), s.reason());
        assertTrue(s.reason().endsWith("vdso: Failed to fill self vdso symtable"), s.reason());
    }

    @Test
    void aPassingCheckIsKeptAndAFailingOneIsAskedAgainAfterAMinute() throws Exception {
        Path criu = criu("Looks good.", 0);
        Criu passing = new Criu(criu.toString(), clock);
        assertTrue(passing.support().available());
        now.set(now.get().plus(Duration.ofHours(1)));
        assertTrue(passing.support().available());
        assertEquals(2, Files.readAllLines(dir.resolve("runs")).size(), "--version and check, once");

        Files.delete(dir.resolve("runs"));
        Criu failing = new Criu(criu("Error: no", 1).toString(), clock);
        failing.support();
        failing.support();
        assertEquals(2, Files.readAllLines(dir.resolve("runs")).size(), "a failure is kept for a while");
        now.set(now.get().plus(Duration.ofSeconds(61)));
        failing.support();
        assertEquals(4, Files.readAllLines(dir.resolve("runs")).size(), "and asked again after a minute");
    }
}
