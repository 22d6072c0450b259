package dev.berth.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer tar into an empty snapshot dir, converting OCI whiteouts for overlayfs:
 * {@code .wh.NAME} becomes a 0/0 char device NAME, {@code .wh..wh..opq} marks its dir opaque.
 * Every entry is resolved by {@link SnapshotPaths}; ownership, mode (setuid bits exactly as the
 * header says, applied after chown which would clear them) and mtime are kept.
 */
final class TarExtractor {
    private static final Logger LOG = Logger.getLogger(TarExtractor.class.getName());
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    /** How to extract: whether ownership can be set (root) and device nodes are allowed. */
    record Options(boolean chown, boolean allowDeviceNodes, FsOps ops) {}

    private final Path root;
    private final SnapshotPaths paths;
    private final Options options;
    private final List<Path> dirs = new ArrayList<>();
    private final List<TarArchiveEntry> dirEntries = new ArrayList<>();

    TarExtractor(Path root, Options options) {
        this.root = root;
        this.paths = new SnapshotPaths(root);
        this.options = options;
    }

    /** Extracts all entries; {@link SnapshotPaths.UnsafeEntry} names the first bad one. Returns the entry count. */
    long extract(InputStream tar) throws IOException {
        long count = 0;
        TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
            count++;
            try {
                apply(e, in);
            } catch (SnapshotPaths.UnsafeEntry u) {
                throw new SnapshotPaths.UnsafeEntry("tar entry \"" + printable(e.getName()) + "\": " + u.getMessage());
            }
        }
        // directory times last: creating entries inside a directory changes its mtime
        for (int i = dirs.size() - 1; i >= 0; i--) {
            setTimes(dirs.get(i), dirEntries.get(i));
        }
        return count;
    }

    private void apply(TarArchiveEntry e, InputStream data) throws IOException {
        List<String> parts = SnapshotPaths.components(e.getName());
        String base = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
        if (base.equals(OPAQUE)) {
            List<String> dirParts = parts.subList(0, parts.size() - 1);
            Path dir = paths.prepareParent(dirParts);
            var attrs = SnapshotPaths.lstat(dir);
            if (attrs == null) {
                Files.createDirectory(dir);
            } else if (!attrs.isDirectory()) {
                throw new SnapshotPaths.UnsafeEntry("opaque marker in something that is not a directory");
            }
            options.ops().markOpaque(dir);
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new SnapshotPaths.UnsafeEntry("bad whiteout name");
            }
            List<String> target = new ArrayList<>(parts.subList(0, parts.size() - 1));
            target.add(hidden);
            Path p = paths.prepareParent(target);
            SnapshotPaths.removeExisting(p, false);
            options.ops().whiteout(p);
            return;
        }
        if (parts.isEmpty()) {
            if (e.isDirectory()) {
                setMeta(root, e);
            }
            return;
        }
        Path p = paths.prepareParent(parts);
        if (e.isDirectory()) {
            SnapshotPaths.removeExisting(p, true);
            if (SnapshotPaths.lstat(p) == null) {
                Files.createDirectory(p);
            }
            setMeta(p, e);
            dirs.add(p);
            dirEntries.add(e);
        } else if (e.isSymbolicLink()) {
            if (!SnapshotPaths.symlinkStaysInside(parts, e.getLinkName())) {
                throw new SnapshotPaths.UnsafeEntry("symlink to \"" + printable(e.getLinkName()) + "\" leaves the image root");
            }
            SnapshotPaths.removeExisting(p, false);
            Files.createSymbolicLink(p, Path.of(e.getLinkName()));
            chown(p, e);
        } else if (e.isLink()) {
            Path target = paths.existing(SnapshotPaths.components(e.getLinkName()));
            SnapshotPaths.removeExisting(p, false);
            Files.createLink(p, target);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            if (!options.allowDeviceNodes()) {
                throw new SnapshotPaths.UnsafeEntry("device node not allowed (image.allow_device_nodes is off)");
            }
            SnapshotPaths.removeExisting(p, false);
            options.ops().mknod(p, (e.isCharacterDevice() ? FsOps.S_IFCHR : FsOps.S_IFBLK) | (e.getMode() & 0777),
                    e.getDevMajor(), e.getDevMinor());
            setMeta(p, e);
        } else if (e.isFIFO()) {
            SnapshotPaths.removeExisting(p, false);
            options.ops().mknod(p, FsOps.S_IFIFO | (e.getMode() & 0777), 0, 0);
            setMeta(p, e);
        } else if (e.isFile() && !e.isSparse()) {
            SnapshotPaths.removeExisting(p, false);
            try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                data.transferTo(out);
            }
            setMeta(p, e);
        } else {
            throw new SnapshotPaths.UnsafeEntry("unsupported tar entry type '" + (char) e.getLinkFlag() + "'");
        }
    }

    /** Owner first (chown clears setuid/setgid), then the exact mode, xattrs, then times. */
    private void setMeta(Path p, TarArchiveEntry e) throws IOException {
        chown(p, e);
        Files.setAttribute(p, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
        applyXattrs(p, e);
        if (!e.isDirectory()) {
            setTimes(p, e);
        }
    }

    private void chown(Path p, TarArchiveEntry e) {
        if (options.chown()) {
            options.ops().lchown(p, e.getLongUserId(), e.getLongGroupId());
        }
    }

    /** File capabilities and user xattrs are kept; trusted.* (overlayfs' own) and others never come from an image. */
    private void applyXattrs(Path p, TarArchiveEntry e) {
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            if (!h.getKey().startsWith("SCHILY.xattr.")) {
                continue;
            }
            String name = h.getKey().substring("SCHILY.xattr.".length());
            if (name.equals("security.capability") || name.startsWith("user.")) {
                if (options.chown()) {
                    options.ops().lsetxattr(p, name, h.getValue().getBytes(StandardCharsets.ISO_8859_1));
                }
            } else {
                LOG.fine(() -> "ignoring xattr " + name + " of " + e.getName());
            }
        }
    }

    private static void setTimes(Path p, TarArchiveEntry e) throws IOException {
        FileTime mtime = e.getLastModifiedTime();
        if (mtime != null) {
            Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, mtime, null);
        }
    }

    static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
