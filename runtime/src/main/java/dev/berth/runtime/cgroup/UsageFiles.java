package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads of the counters in cgroup control files. A file that is missing (controller absent, no swap
 * accounting, cgroup gone) reads as 0 or as no keys: usage is best effort, so a number the host
 * cannot tell is 0. Other read errors, and a one-number file that holds no number, fail naming the file.
 */
final class UsageFiles {
    private final CgroupFs fs;

    UsageFiles(CgroupFs fs) {
        this.fs = fs;
    }

    boolean has(Path dir, String file) {
        return fs.exists(dir.resolve(file));
    }

    /** A file holding one number, such as memory.current; 0 when missing. */
    long number(Path dir, String file) {
        String text = read(dir.resolve(file));
        return text == null || text.isBlank() ? 0 : parse(dir.resolve(file), text.strip());
    }

    /** A limit file such as pids.max: a number, or "max" for none (read as 0, as cadvisor reports no limit); 0 when missing. */
    long limit(Path dir, String file) {
        String text = read(dir.resolve(file));
        if (text == null || text.isBlank() || text.strip().equals("max")) {
            return 0;
        }
        return parse(dir.resolve(file), text.strip());
    }

    /** A flat keyed file of "key value" lines, such as memory.stat or cpu.stat; empty when missing. */
    Map<String, Long> keyed(Path dir, String file) {
        String text = read(dir.resolve(file));
        Map<String, Long> values = new HashMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length != 2) {
                continue;
            }
            try {
                values.put(fields[0], Long.parseLong(fields[1]));
            } catch (NumberFormatException e) {
                // a line we do not use must not fail the read on a newer kernel
            }
        }
        return values;
    }

    /** The number of non-empty lines, such as the pids in cgroup.procs; 0 when missing. */
    long lines(Path dir, String file) {
        String text = read(dir.resolve(file));
        return text == null ? 0 : text.lines().filter(line -> !line.isBlank()).count();
    }

    private String read(Path path) {
        try {
            return fs.read(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + ControlFiles.reason(e), e);
        }
    }

    private static long parse(Path path, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(path + " holds \"" + value + "\" where a number was expected", e);
        }
    }
}
