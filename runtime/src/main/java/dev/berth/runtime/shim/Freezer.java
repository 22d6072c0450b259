package dev.berth.runtime.shim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A container's cgroup freezer: the v1 {@code freezer} hierarchy's {@code freezer.state}, else the
 * v2 {@code cgroup.freeze}. A checkpoint freezes the container before CRIU dumps it and thaws it
 * after the writable layer is exported, so files and memory are taken at the same instant (CRIU
 * leaves a cgroup frozen before the dump frozen after it).
 */
final class Freezer {
    private static final long POLL_MILLIS = 5;

    private final Path dir;
    private final boolean v1;

    private Freezer(Path dir, boolean v1) {
        this.dir = dir;
        this.v1 = v1;
    }

    /** The freezer among the container's cgroup directories, if the host has one. */
    static Optional<Freezer> of(List<String> cgroupDirs) {
        for (String d : cgroupDirs) {
            if (Files.exists(Path.of(d, "freezer.state"))) {
                return Optional.of(new Freezer(Path.of(d), true));
            }
        }
        for (String d : cgroupDirs) {
            if (Files.exists(Path.of(d, "cgroup.freeze"))) {
                return Optional.of(new Freezer(Path.of(d), false));
            }
        }
        return Optional.empty();
    }

    /** The directory CRIU's --freeze-cgroup takes. */
    Path dir() {
        return dir;
    }

    /** Freezes every process of the cgroup; false when it is not frozen by {@code deadline}. */
    boolean freeze(Clock clock, Instant deadline) {
        write(v1 ? "freezer.state" : "cgroup.freeze", v1 ? "FROZEN" : "1");
        while (!frozen()) {
            if (clock.instant().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    void thaw() {
        write(v1 ? "freezer.state" : "cgroup.freeze", v1 ? "THAWED" : "0");
    }

    private boolean frozen() {
        try {
            if (v1) {
                return Files.readString(dir.resolve("freezer.state")).strip().equals("FROZEN");
            }
            return Files.readAllLines(dir.resolve("cgroup.events")).contains("frozen 1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the freezer state of " + dir, e);
        }
    }

    private void write(String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value + " to " + dir.resolve(file), e);
        }
    }
}
