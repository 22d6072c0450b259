package dev.berth.image;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's overlay rootfs, ready to mount: {@code mount -t overlay overlay -o
 * <mountOptions()> <target>}.
 *
 * @param lowerDirs the image's snapshot dirs, topmost layer first (overlayfs order)
 */
public record Rootfs(String containerId, String imageId, List<Path> lowerDirs, Path upperDir, Path workDir) {
    public Rootfs {
        lowerDirs = List.copyOf(lowerDirs);
    }

    /** The overlay mount data; an image of a single layer still mounts, as a one-element lowerdir. */
    public String mountOptions() {
        StringBuilder lower = new StringBuilder();
        for (Path dir : lowerDirs) {
            if (!lower.isEmpty()) {
                lower.append(':');
            }
            lower.append(dir);
        }
        return "lowerdir=" + lower + ",upperdir=" + upperDir + ",workdir=" + workDir;
    }
}
