package dev.berth.sandbox.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The users and groups an image defines in its /etc/passwd and /etc/group, each file read on
 * first use (as containerd, which reads only what a user string needs), inside the rootfs. A
 * missing file has no entries; lines that are not {@code name:x:id...} are skipped rather than
 * read as id 0 (as moby's parser would), so a garbled line cannot make anyone root.
 */
final class ImageAccounts {
    static final int MAX_FILE_BYTES = 1 << 20;
    /** runc's limit (the kernel's is 2^32 - 2); containerd checks the same. */
    static final long MAX_ID = Integer.MAX_VALUE;

    record User(String name, long uid, long gid) {}

    record Group(String name, long gid, List<String> members) {}

    private final Path rootfs;
    private List<User> users;
    private List<Group> groups;

    ImageAccounts(Path rootfs) {
        this.rootfs = rootfs;
    }

    /** The first passwd entry named {@code name}. */
    Optional<User> userNamed(String name) {
        return users().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** The first passwd entry with {@code uid}. */
    Optional<User> userWithUid(long uid) {
        return users().stream().filter(u -> u.uid() == uid).findFirst();
    }

    Optional<Group> groupNamed(String name) {
        return groups().stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The gids of the groups that list {@code user} as a member. */
    List<Long> groupsListing(String user) {
        // containerd skips the group named as the user: its gid is the primary one, or not the user's.
        return groups().stream().filter(g -> !g.name().equals(user) && g.members().contains(user)).map(Group::gid).toList();
    }

    private List<User> users() {
        if (users == null) {
            users = new ArrayList<>();
            for (String[] fields : entries("/etc/passwd")) {
                Long uid = id(fields, 2);
                Long gid = id(fields, 3);
                if (uid != null && gid != null) {
                    users.add(new User(fields[0], uid, gid));
                }
            }
        }
        return users;
    }

    private List<Group> groups() {
        if (groups == null) {
            groups = new ArrayList<>();
            for (String[] fields : entries("/etc/group")) {
                Long gid = id(fields, 2);
                if (gid != null) {
                    List<String> members = fields.length < 4 ? List.of()
                            : Arrays.stream(fields[3].split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
                    groups.add(new Group(fields[0], gid, members));
                }
            }
        }
        return groups;
    }

    /** The colon-separated fields of each non-blank, non-comment line. */
    private List<String[]> entries(String path) {
        List<String[]> entries = new ArrayList<>();
        for (String line : read(path).split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                entries.add(trimmed.split(":", -1));
            }
        }
        return entries;
    }

    /** A decimal id in [0, MAX_ID], or null. */
    private static Long id(String[] fields, int index) {
        if (fields.length <= index || !fields[index].matches("[0-9]{1,10}")) {
            return null;
        }
        long id = Long.parseLong(fields[index]);
        return id <= MAX_ID ? id : null;
    }

    private String read(String path) {
        try {
            Path file = InRootPaths.resolve(rootfs, path);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return "";
            }
            // Not a FIFO or device: reading one could block or never end.
            if (!attributes.isRegularFile()) {
                throw new SpecException("the image's " + path + " is not a regular file; fix the image so that "
                        + path + " is a file (or absent)");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES) {
                    throw new SpecException("the image's " + path + " is larger than " + (MAX_FILE_BYTES >> 20)
                            + " MiB, more than Berth reads; shrink it in the image");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            String why = e instanceof FileSystemLoopException ? "more than " + InRootPaths.MAX_SYMLINKS + " symlinks (a loop?)"
                    : e.toString();
            throw new SpecException("cannot read the image's " + path + ": " + why + "; check the image's " + path
                    + " and the symlinks leading to it", e);
        }
    }
}
