package dev.berth.sandbox.spec;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside an untrusted rootfs, resolved as the kernel would after {@code chroot(root)}: a
 * symlink, absolute or relative, is read relative to the root and {@code ..} stops at it, so an
 * image cannot make the daemon read host files through its /etc/passwd.
 *
 * <p>Java has no {@code openat2(RESOLVE_IN_ROOT)}; the caller opens the result with
 * {@code NOFOLLOW_LINKS}. A rootfs changed while it is resolved (none is, before the container
 * starts) could still race the directories above the last component.
 */
final class InRootPaths {
    /** As Linux's MAXSYMLINKS. */
    static final int MAX_SYMLINKS = 40;

    private InRootPaths() {}

    /**
     * The host path of {@code path} (read as absolute) inside {@code root}, with every symlink
     * on the way followed inside the root. Components that do not exist are kept as named.
     *
     * @throws FileSystemLoopException after {@value #MAX_SYMLINKS} symlinks
     */
    static Path resolve(Path root, String path) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>();
        pushFront(todo, path);
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(base, done).resolve(name);
            if (!Files.isSymbolicLink(candidate)) {
                done.add(name);
                continue;
            }
            if (++links > MAX_SYMLINKS) {
                throw new FileSystemLoopException(path);
            }
            String target = Files.readSymbolicLink(candidate).toString();
            if (target.startsWith("/")) {
                done.clear();
            }
            pushFront(todo, target);
        }
        return join(base, done);
    }

    private static void pushFront(Deque<String> todo, String path) {
        String[] names = path.split("/");
        for (int i = names.length - 1; i >= 0; i--) {
            todo.addFirst(names[i]);
        }
    }

    private static Path join(Path base, List<String> names) {
        Path path = base;
        for (String name : names) {
            path = path.resolve(name);
        }
        return path;
    }
}
