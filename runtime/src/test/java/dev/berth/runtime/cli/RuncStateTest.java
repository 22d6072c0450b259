package dev.berth.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.ExitStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output formats against what runc 1.1 prints for the same container (captured from Debian's runc). */
class RuncStateTest {
    @TempDir
    Path dir;

    private static RuncState state(String id, long pid, String status, String created, String owner, Map<String, String> annotations) {
        return new RuncState("1.0.2-dev", id, pid, status, "/tmp/rb/bundle", "/tmp/rb/bundle/rootfs", created, owner, annotations);
    }

    @Test
    void stateIsIndentedAsRuncPrintsIt() {
        String runc = """
                {
                  "ociVersion": "1.0.2-dev",
                  "id": "rc1",
                  "pid": 8051,
                  "status": "created",
                  "bundle": "/tmp/rb/bundle",
                  "rootfs": "/tmp/rb/bundle/rootfs",
                  "created": "2026-11-23T02:04:34.558157319Z",
                  "owner": ""
                }""";
        assertEquals(runc, state("rc1", 8051, "created", "2026-11-23T02:04:34.558157319Z", "", Map.of()).toIndentedJson());
    }

    @Test
    void annotationsFollowOwnerWhenThereAreAny() {
        String json = state("rc1", 0, "stopped", "2026-11-23T02:04:34Z", "", Map.of("k", "v")).toIndentedJson();
        assertEquals("""
                {
                  "ociVersion": "1.0.2-dev",
                  "id": "rc1",
                  "pid": 0,
                  "status": "stopped",
                  "bundle": "/tmp/rb/bundle",
                  "rootfs": "/tmp/rb/bundle/rootfs",
                  "created": "2026-11-23T02:04:34Z",
                  "owner": "",
                  "annotations": {
                    "k": "v"
                  }
                }""", json);
    }

    @Test
    void listJsonIsOneCompactArrayAsRuncPrintsIt() {
        String runc = "[{\"ociVersion\":\"1.0.2-dev\",\"id\":\"rc1\",\"pid\":8051,\"status\":\"created\",\"bundle\":\"/tmp/rb/bundle\","
                + "\"rootfs\":\"/tmp/rb/bundle/rootfs\",\"created\":\"2026-11-23T02:04:34.558157319Z\",\"owner\":\"root\"}]";
        assertEquals(runc, RuncState.toJsonArray(List.of(state("rc1", 8051, "created", "2026-11-23T02:04:34.558157319Z", "root", Map.of()))));
    }

    @Test
    void listTableIsAlignedAsRuncsTabwriter() {
        String runc = """
                ID          PID         STATUS      BUNDLE           CREATED                          OWNER
                rc1         8051        created     /tmp/rb/bundle   2026-11-23T02:04:34.558157319Z   root
                """;
        assertEquals(runc, ListCommand.table(List.of(state("rc1", 8051, "created", "2026-11-23T02:04:34.558157319Z", "root", Map.of()))));
        String wide = ListCommand.table(List.of(
                state("a-rather-long-container-id", 1, "running", "2026-11-23T02:04:34Z", "root", Map.of()),
                state("b", 22, "stopped", "2026-11-23T02:04:34.5Z", "root", Map.of())));
        assertEquals("""
                ID                           PID         STATUS      BUNDLE           CREATED                  OWNER
                a-rather-long-container-id   1           running     /tmp/rb/bundle   2026-11-23T02:04:34Z     root
                b                            22          stopped     /tmp/rb/bundle   2026-11-23T02:04:34.5Z   root
                """, wide);
    }

    @Test
    void createdIsRfc3339WithTrailingZerosTrimmedAsGo() {
        assertEquals("2026-11-23T02:04:34.558157319Z", RuncState.created(Instant.parse("2026-11-23T02:04:34.558157319Z")));
        assertEquals("2026-11-23T02:04:34.5581Z", RuncState.created(Instant.parse("2026-11-23T02:04:34.558100000Z")));
        assertEquals("2026-11-23T02:04:34Z", RuncState.created(Instant.parse("2026-11-23T02:04:34Z")));
    }

    @Test
    void aBundleThatIsGoneLeavesRootfsEmptyAndTheRestShown() {
        ContainerState gone = new ContainerState("x", ContainerStatus.STOPPED, 0, dir.resolve("gone"), Instant.parse("2026-11-23T02:04:34Z"),
                new ExitStatus(0, 0, Instant.parse("2026-11-23T02:05:00Z"), "", false));
        RuncState state = RuncState.of(gone, "");
        assertEquals("stopped", state.status());
        assertEquals(dir.resolve("gone").toString(), state.bundle());
        assertEquals("", state.rootfs());
        assertEquals(Map.of(), state.annotations());
        assertEquals(RuncState.OCI_VERSION, state.ociVersion());
    }
}
