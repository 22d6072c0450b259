package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {
    @TempDir
    Path root;

    static SandboxRecord record(String id, SandboxState state) {
        return new SandboxRecord(SandboxRecord.FORMAT, id, "web", "default", "uid-1", 2, 1_700_000_000_123_456_789L, state,
                Map.of("app", "web"), Map.of("a", "b"), "berth", "/run/berth/netns/" + id, List.of("10.0.0.2", "fd00::2"),
                "web-host", "/var/log/pods/x", "/kubepods/pod1", new NamespaceModes("POD", "CONTAINER", "NODE", ""),
                new PodCgroup("/kubepods/pod1", false, null, null));
    }

    @Test
    void recordsSurviveAReopenFieldForField() {
        RecordStore<SandboxRecord> store = RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT);
        SandboxRecord r = record("s1", SandboxState.READY);
        store.put(r);
        assertEquals(r, RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT).get("s1").orElseThrow());
        assertEquals("web_default_uid-1_2", r.reservedName());
    }

    @Test
    void aStateChangeReplacesTheFileWholeAndLeavesNoTempFile() throws Exception {
        RecordStore<SandboxRecord> store = RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT);
        store.put(record("s1", SandboxState.READY));
        store.put(record("s1", SandboxState.READY).stopped());
        assertEquals(SandboxState.NOTREADY, RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT).get("s1").orElseThrow().state());
        try (var files = Files.list(root.resolve("sandboxes/s1"))) {
            assertEquals(List.of("record.json"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.readString(root.resolve("sandboxes/s1/record.json")).contains("\"version\" : 1"));
    }

    @Test
    void removeDeletesTheDirectoryAndIsIdempotent() {
        RecordStore<SandboxRecord> store = RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT);
        store.put(record("s1", SandboxState.READY));
        store.remove("s1");
        store.remove("s1");
        assertFalse(Files.exists(root.resolve("sandboxes/s1")));
        assertTrue(RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT).all().isEmpty());
    }

    @Test
    void directoriesWithoutARecordAreOrphansAndUnreadableOrNewerRecordsAreSkipped() throws Exception {
        Files.createDirectories(root.resolve("sandboxes/half"));
        Files.createDirectories(root.resolve("sandboxes/bad"));
        Files.writeString(root.resolve("sandboxes/bad/record.json"), "{not json");
        Files.createDirectories(root.resolve("sandboxes/future"));
        Files.writeString(root.resolve("sandboxes/future/record.json"), "{\"version\":99,\"id\":\"future\",\"state\":\"READY\"}");
        RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT).put(record("ok", SandboxState.READY));
        RecordStore<SandboxRecord> store = RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT);
        assertEquals(List.of("half"), store.orphans());
        assertEquals(List.of("ok"), store.all().stream().map(SandboxRecord::id).toList());
        assertTrue(Files.exists(root.resolve("sandboxes/bad/record.json")), "left alone for a person to look at");
    }

    @Test
    void unknownFieldsFromANewerMinorVersionAreIgnored() throws Exception {
        Files.createDirectories(root.resolve("sandboxes/s2"));
        Files.writeString(root.resolve("sandboxes/s2/record.json"),
                "{\"version\":1,\"id\":\"s2\",\"state\":\"NOTREADY\",\"futureField\":3}");
        SandboxRecord r = RecordStore.open(root.resolve("sandboxes"), SandboxRecord.class, SandboxRecord.FORMAT).get("s2").orElseThrow();
        assertEquals(SandboxState.NOTREADY, r.state());
        assertEquals("POD", r.namespaces().network());
    }
}
