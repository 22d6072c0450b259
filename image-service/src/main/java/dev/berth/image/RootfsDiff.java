package dev.berth.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A container's writable layer as an OCI layer tar, both ways: {@link #export} turns the overlay
 * upper dir into a layer (whiteout devices become {@code .wh.NAME} entries, opaque dirs get a
 * {@code .wh..wh..opq} entry), {@link #apply} unpacks such a layer into a fresh upper dir through
 * the same {@link TarExtractor} pulls use, so an untrusted diff (a checkpoint archive's) is held
 * to the rules of an image layer, with device nodes always refused.
 */
final class RootfsDiff {
    private static final Logger LOG = Logger.getLogger(RootfsDiff.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    private RootfsDiff() {}

    /** Writes {@code upper} as a layer tar to {@code out} (not closed), entries in name order. Returns the entry count. */
    static long export(Path upper, OutputStream out, FsOps ops) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Map<Object, String> firstNameOfInode = new HashMap<>();
        long count = 0;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(upper)) {
            paths = walk.filter(p -> !p.equals(upper)).sorted().toList();
        }
        for (Path p : paths) {
            String name = upper.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            TarArchiveEntry e;
            byte[] whiteoutMarker = null;
            boolean content = false;
            if (ops.isWhiteout(p)) {
                Path parent = Path.of(name).getParent();
                String marker = (parent == null ? "" : parent + "/") + ".wh." + p.getFileName();
                e = new TarArchiveEntry(marker, true);
                e.setMode(S_IFREG | 0644);
                whiteoutMarker = new byte[0];
            } else if ((mode & S_IFMT) == S_IFDIR) {
                e = new TarArchiveEntry(name + "/", true);
            } else if ((mode & S_IFMT) == S_IFLNK) {
                e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
                e.setLinkName(Files.readSymbolicLink(p).toString());
            } else if ((mode & S_IFMT) == S_IFREG) {
                Object inode = a.get("ino");
                String first = (Integer) a.get("nlink") > 1 ? firstNameOfInode.putIfAbsent(inode, name) : null;
                if (first != null) {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
                    e.setLinkName(first);
                } else {
                    e = new TarArchiveEntry(name, true);
                    e.setSize(Files.size(p));
                    content = true;
                }
            } else if ((mode & S_IFMT) == FsOps.S_IFIFO) {
                e = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO, true);
            } else if ((mode & S_IFMT) == FsOps.S_IFCHR || (mode & S_IFMT) == FsOps.S_IFBLK) {
                long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
                e = new TarArchiveEntry(name, (mode & S_IFMT) == FsOps.S_IFCHR ? TarArchiveEntry.LF_CHR : TarArchiveEntry.LF_BLK, true);
                e.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
                e.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
            } else {
                LOG.fine(() -> "not in the rootfs diff (a socket): " + name);
                continue;
            }
            if (whiteoutMarker == null) {
                e.setMode(mode & 0177777);
                e.setIds((Integer) a.get("uid"), (Integer) a.get("gid"));
            }
            e.setModTime((FileTime) a.get("lastModifiedTime"));
            tar.putArchiveEntry(e);
            if (content) {
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
            count++;
            if ((mode & S_IFMT) == S_IFDIR && whiteoutMarker == null && ops.isOpaque(p)) {
                TarArchiveEntry opaque = new TarArchiveEntry(name + "/.wh..wh..opq", true);
                opaque.setMode(S_IFREG | 0644);
                tar.putArchiveEntry(opaque);
                tar.closeArchiveEntry();
                count++;
            }
        }
        tar.finish();
        return count;
    }

    /**
     * Unpacks a layer tar into {@code upper} (a fresh, empty, not yet mounted upper dir), reading at
     * most {@code maxBytes}. An unsafe entry or a device node is {@link ImageException.Kind#BAD_CONTENT}.
     */
    static long apply(Path upper, InputStream tar, long maxBytes, boolean chown, FsOps ops, String what) throws IOException {
        CheckedStream limited = new CheckedStream(tar, "sha256", maxBytes, what, Optional.empty());
        try {
            return new TarExtractor(upper, new TarExtractor.Options(chown, false, ops)).extract(new TarHeaderGuard(limited));
        } catch (SnapshotPaths.UnsafeEntry e) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, what + ": " + e.getMessage());
        }
    }
}
