package dev.berth.cni;

import dev.berth.runtime.sys.NamespaceThread;
import dev.berth.runtime.sys.SyscallException;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Pod network namespaces, each pinned by a bind mount on {@code <dir>/<podId>} so it outlives
 * the thread that made it. A new namespace is made on a {@link NamespaceThread} (a platform
 * thread that exists only for this and then dies), so no daemon thread ever leaves the host
 * namespace.
 */
final class NetnsPins {
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;

    private final Path dir;
    private final Syscalls sys;

    NetnsPins(Path dir, Syscalls sys) {
        this.dir = dir;
        this.sys = sys;
    }

    Path path(String podId) {
        return dir.resolve(podId);
    }

    /** Creates a namespace with {@code lo} up, pinned at {@link #path}; on failure nothing is left. */
    Path create(String podId) {
        Path pin = path(podId);
        try {
            Files.createDirectories(dir);
            Files.createFile(pin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create netns pin " + pin + ": " + e.getMessage(), e);
        }
        try {
            NamespaceThread.call("netns-" + podId, () -> {
                sys.unshare(Syscalls.CLONE_NEWNET);
                sys.mount("/proc/self/task/" + sys.gettid() + "/ns/net", pin, null, Syscalls.MS_BIND, null);
                sys.linkUp("lo");
                return null;
            });
        } catch (Exception e) {
            remove(podId);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot create network namespace " + pin + ": " + e.getMessage(), e);
        }
        return pin;
    }

    boolean exists(String podId) {
        return Files.exists(path(podId));
    }

    /** Unmounts and deletes the pin; a pin that is not mounted, or not there, is fine. */
    void remove(String podId) {
        Path pin = path(podId);
        if (!Files.exists(pin)) {
            return;
        }
        try {
            sys.umount(pin, Syscalls.MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() != EINVAL && e.errno() != ENOENT) { // EINVAL: not a mount point
                throw e;
            }
        }
        try {
            Files.deleteIfExists(pin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete netns pin " + pin + ": " + e.getMessage(), e);
        }
    }

    /** Pod ids that have a pin. */
    Set<String> list() {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> pins = Files.newDirectoryStream(dir)) {
            pins.forEach(p -> ids.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list netns pins in " + dir + ": " + e.getMessage(), e);
        }
        return ids;
    }
}
