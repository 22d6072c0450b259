package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves tar entry names inside a snapshot root without ever following a symlink: names are
 * checked lexically (no {@code ..}, not absolute, bounded length), then each parent directory is
 * looked up with lstat and created when missing. A parent that is a symlink or not a directory
 * is refused, so nothing is ever written outside the root.
 */
final class SnapshotPaths {
    static final int MAX_NAME = 4096;
    private final Path root;

    SnapshotPaths(Path root) {
        this.root = root;
    }

    /** The clean components of an entry name; {@code ./a/b/} is [a, b]; an empty list is the root itself. */
    static List<String> components(String name) {
        if (name.length() > MAX_NAME) {
            throw new UnsafeEntry("name longer than " + MAX_NAME + " bytes");
        }
        if (name.startsWith("/")) {
            throw new UnsafeEntry("absolute path");
        }
        if (name.indexOf('\0') >= 0) {
            throw new UnsafeEntry("NUL in name");
        }
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new UnsafeEntry("\"..\" in path");
            }
            out.add(c);
        }
        return out;
    }

    /** The path for {@code components}, after making sure its parents are real directories in the root. */
    Path prepareParent(List<String> components) throws IOException {
        Path dir = root;
        for (int i = 0; i < components.size() - 1; i++) {
            dir = dir.resolve(components.get(i));
            BasicFileAttributes attrs = lstat(dir);
            if (attrs == null) {
                Files.createDirectory(dir);
            } else if (attrs.isSymbolicLink()) {
                throw new UnsafeEntry("parent " + root.relativize(dir) + " is a symlink");
            } else if (!attrs.isDirectory()) {
                throw new UnsafeEntry("parent " + root.relativize(dir) + " is not a directory");
            }
        }
        return components.isEmpty() ? root : dir.resolve(components.get(components.size() - 1));
    }

    /** An existing entry's path for a hardlink target; must exist and must not be a directory. */
    Path existing(List<String> components) throws IOException {
        Path p = root;
        for (int i = 0; i < components.size(); i++) {
            p = p.resolve(components.get(i));
            BasicFileAttributes attrs = lstat(p);
            if (attrs == null) {
                throw new UnsafeEntry("hardlink target " + String.join("/", components) + " does not exist in the layer");
            }
            boolean last = i == components.size() - 1;
            if (!last && (attrs.isSymbolicLink() || !attrs.isDirectory())) {
                throw new UnsafeEntry("hardlink target goes through " + root.relativize(p) + ", not a directory");
            }
            if (last && attrs.isDirectory()) {
                throw new UnsafeEntry("hardlink to a directory");
            }
        }
        if (components.isEmpty()) {
            throw new UnsafeEntry("hardlink to the root");
        }
        return p;
    }

    /**
     * Whether a symlink at {@code components} with {@code target} stays inside the root when
     * resolved lexically: absolute targets are relative to the container's root (the kernel
     * resolves them inside it), relative ones must not climb above it.
     */
    static boolean symlinkStaysInside(List<String> components, String target) {
        if (target.startsWith("/")) {
            return true;
        }
        int depth = components.size() - 1;
        for (String c : target.split("/")) {
            if (c.equals("..")) {
                if (--depth < 0) {
                    return false;
                }
            } else if (!c.isEmpty() && !c.equals(".")) {
                depth++;
            }
        }
        return true;
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Removes what is at {@code p} (a later entry replaces an earlier one), never following symlinks. */
    static void removeExisting(Path p, boolean keepDirectory) throws IOException {
        BasicFileAttributes attrs = lstat(p);
        if (attrs == null || (keepDirectory && attrs.isDirectory())) {
            return;
        }
        if (attrs.isDirectory()) {
            Trees.deleteRecursively(p);
        } else {
            Files.delete(p);
        }
    }

    /** A tar entry that would break the snapshot's confinement or a limit. */
    static final class UnsafeEntry extends RuntimeException {
        UnsafeEntry(String why) {
            super(why);
        }
    }
}
