package dev.berth.sandbox.spec;

import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** Reads a device node on the host: its type, numbers, mode and owner (lstat, as containerd). */
final class DeviceNodes {
    private static final int S_IFMT = 0170000, S_IFBLK = 0060000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    private DeviceNodes() {}

    /** The node at {@code hostPath} as a device at {@code containerPath}, or null when it is not a device. */
    static Spec.Device read(Path hostPath, String containerPath) throws IOException {
        Map<String, Object> a = Files.readAttributes(hostPath, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String type = switch (mode & S_IFMT) {
            case S_IFBLK -> "b";
            case S_IFCHR -> "c";
            case S_IFIFO -> "p";
            default -> null;
        };
        if (type == null) {
            return null;
        }
        long rdev = (Long) a.get("rdev");
        return new Spec.Device(type, containerPath, major(rdev), minor(rdev), mode & 07777,
                ((Integer) a.get("uid")).longValue(), ((Integer) a.get("gid")).longValue());
    }

    /** glibc's gnu_dev_major: bits 8-19 and 44-63. */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
    }

    /** glibc's gnu_dev_minor: bits 0-7 and 20-43. */
    static long minor(long rdev) {
        return (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
    }
}
