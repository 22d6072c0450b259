package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes of cgroup control files whose errors name the file, and the value for a write. */
final class ControlFiles {
    private final CgroupFs fs;

    ControlFiles(CgroupFs fs) {
        this.fs = fs;
    }

    CgroupFs fs() {
        return fs;
    }

    boolean has(Path dir, String file) {
        return fs.exists(dir.resolve(file));
    }

    /** The file's content without surrounding whitespace. */
    String read(Path dir, String file) {
        Path path = dir.resolve(file);
        try {
            return fs.read(path).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + reason(e), e);
        }
    }

    void write(Path dir, String file, String value) {
        Path path = dir.resolve(file);
        try {
            fs.write(path, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write \"" + value + "\" to " + path + ": " + reason(e), e);
        }
    }

    void mkdir(Path dir) {
        try {
            fs.mkdir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup directory " + dir + ": " + reason(e), e);
        }
    }

    /** Whether a write failed with EBUSY, as the v1 memory controller answers a limit below the usage. */
    static boolean busy(UncheckedIOException e) {
        return "Device or resource busy".equals(reason(e.getCause()));
    }

    /** A file holding one number, or -1 when it is missing or holds none. */
    long number(Path dir, String file) {
        try {
            return Long.parseLong(fs.read(dir.resolve(file)).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The kernel's words for a failure, without the path (the callers name it). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
