package dev.berth.sandbox;

import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Unmounting what Berth mounted on the host (a container's rootfs, a pod's /dev/shm). */
final class Mounts {
    private Mounts() {}

    /** Unmounts every mount stacked on {@code target} (lazily, so a busy one still goes); none is fine. */
    static void unmountAll(Syscalls sys, Path target) {
        for (int i = 0; i < 8 && isMountPoint(target); i++) {
            sys.umount(target, Syscalls.MNT_DETACH);
        }
    }

    static boolean isMountPoint(Path target) {
        String wanted = target.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ", 6);
                if (fields.length > 4 && unescape(fields[4]).equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040...). */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
