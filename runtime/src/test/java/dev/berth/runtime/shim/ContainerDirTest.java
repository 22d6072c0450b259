package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.OomLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit file: what the shim writes, what older shims wrote, and what the daemon records itself. */
class ContainerDirTest {
    @TempDir
    Path dir;

    @Test
    void noExitFileMeansTheContainerHasNotExited() throws Exception {
        assertNull(new ContainerDir(dir).exit());
    }

    @Test
    void theShimsExitFileCarriesTheOomKill() throws Exception {
        Files.writeString(dir.resolve("exit"), "code=137\nsignal=9\nexited_at=1500000000123456789\noom_killed=1\n");
        assertEquals(new ExitStatus(137, 9, Instant.ofEpochSecond(1_500_000_000L, 123_456_789L), "", true),
                new ContainerDir(dir).exit());
    }

    @Test
    void theExitFileNamesTheCgroupWhoseLimitTheOomKillerEnforced() throws Exception {
        new ContainerDir(dir).writeMeta(java.util.Map.of("cgroups_path", "/kubepods/pod1/c1"));
        String exit = "code=137\nsignal=9\nexited_at=1\noom_killed=1\noom_limit=%s\noom_limit_bytes=%d\n";

        Files.writeString(dir.resolve("exit"), exit.formatted("container", 33554432));
        assertEquals(new OomLimit(OomLimit.Scope.CONTAINER, "/kubepods/pod1/c1", 33554432), new ContainerDir(dir).exit().oomLimit());
        Files.writeString(dir.resolve("exit"), exit.formatted("parent", 67108864));
        assertEquals(new OomLimit(OomLimit.Scope.PARENT, "/kubepods/pod1", 67108864), new ContainerDir(dir).exit().oomLimit());
        Files.writeString(dir.resolve("exit"), exit.formatted("other", 0));
        assertEquals(new OomLimit(OomLimit.Scope.OTHER, "", 0), new ContainerDir(dir).exit().oomLimit());
    }

    @Test
    void noOomKillOrAnOlderShimNamesNoLimit() throws Exception {
        Files.writeString(dir.resolve("exit"), "code=137\nsignal=9\nexited_at=1\noom_killed=0\n");
        assertNull(new ContainerDir(dir).exit().oomLimit());
        Files.writeString(dir.resolve("exit"), "code=137\nsignal=9\nexited_at=1\noom_killed=1\n");
        assertNull(new ContainerDir(dir).exit().oomLimit());
    }

    @Test
    void theParentOfACgroupAtTheTopIsTheRoot() {
        assertEquals("/", ContainerDir.parentOf("/berth"));
        assertEquals("/berth", ContainerDir.parentOf("/berth/abc/"));
    }

    @Test
    void anExitFileOfAnOlderShimWithoutTheFlagIsNoOomKill() throws Exception {
        Files.writeString(dir.resolve("exit"), "code=137\nsignal=9\nexited_at=1500000000000000000\n");
        ExitStatus exit = new ContainerDir(dir).exit();
        assertEquals(137, exit.code());
        assertFalse(exit.oomKilled());
    }

    @Test
    void anExitTheDaemonRecordsReadsBackTheSame() throws Exception {
        ExitStatus died = new ExitStatus(255, 0, Instant.ofEpochSecond(1_700_000_000L, 5), "berth-shim exited", true);
        new ContainerDir(dir).writeExit(died);
        assertEquals(died, new ContainerDir(dir).exit());
    }
}
