package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsTest {
    @Test
    void aFailureUndoesTheStepsThatSucceededNewestFirst() {
        List<String> log = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> {
            try (Steps steps = new Steps("test")) {
                String a = steps.run("a", () -> "A", r -> log.add("undo " + r));
                steps.run("b", () -> log.add("did b after " + a), () -> log.add("undo b"));
                steps.run("c", () -> {
                    throw new IllegalStateException("c failed");
                }, () -> log.add("undo c"));
                steps.commit();
            }
        });
        assertEquals(List.of("did b after A", "undo b", "undo A"), log);
    }

    @Test
    void aFailingUndoDoesNotStopTheOthers() {
        List<String> log = new ArrayList<>();
        try (Steps steps = new Steps("test")) {
            steps.run("a", () -> {}, () -> log.add("undo a"));
            steps.run("b", () -> {}, () -> {
                throw new IllegalStateException("undo b broke");
            });
        }
        assertEquals(List.of("undo a"), log);
    }

    @Test
    void committedStepsAreKept() {
        List<String> log = new ArrayList<>();
        try (Steps steps = new Steps("test")) {
            steps.run("a", () -> {}, () -> log.add("undo a"));
            steps.commit();
        }
        assertEquals(List.of(), log);
    }

    @Test
    void checkedExceptionsBecomeInternalSandboxExceptionsNamingTheStep() {
        SandboxException e = assertThrows(SandboxException.class, () -> {
            try (Steps steps = new Steps("run x")) {
                steps.run("write", () -> {
                    throw new java.io.IOException("disk full");
                }, r -> {});
            }
        });
        assertEquals("run x: write failed: disk full", e.getMessage());
    }
}
