package dev.berth.image;

import java.nio.file.Path;

/**
 * The file operations Java's NIO lacks, used while unpacking layers: device nodes (overlayfs
 * whiteouts are 0/0 char devices), ownership without following symlinks, and xattrs outside
 * the {@code user.} namespace ({@code trusted.overlay.opaque}). {@link LinuxFsOps} is the real
 * one; tests that cannot be root use a recording fake.
 */
interface FsOps {
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;
    int S_IFIFO = 0010000;

    /** mknod(2); {@code mode} includes the file type bits. */
    void mknod(Path path, int mode, int major, int minor);

    /** lchown(2). */
    void lchown(Path path, long uid, long gid);

    /** lsetxattr(2). */
    void lsetxattr(Path path, String name, byte[] value);

    /** lgetxattr(2): the attribute's value, or null when the file has none. */
    byte[] lgetxattr(Path path, String name);

    /** An overlayfs whiteout: a char device 0/0, hiding {@code path} of lower layers. */
    default void whiteout(Path path) {
        mknod(path, S_IFCHR, 0, 0);
    }

    /** Marks {@code dir} opaque: overlayfs hides everything lower layers have below it. */
    default void markOpaque(Path dir) {
        lsetxattr(dir, "trusted.overlay.opaque", new byte[] {'y'});
    }

    /** Whether {@code path} is an overlayfs whiteout (a char device 0/0), without following symlinks. */
    default boolean isWhiteout(Path path) {
        try {
            int mode = (Integer) java.nio.file.Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            long rdev = (Long) java.nio.file.Files.getAttribute(path, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == S_IFCHR && rdev == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Whether {@code dir} is marked opaque. */
    default boolean isOpaque(Path dir) {
        byte[] value = lgetxattr(dir, "trusted.overlay.opaque");
        return value != null && value.length == 1 && value[0] == 'y';
    }
}
