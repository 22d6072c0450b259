package dev.berth.server.daemon;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes one daemon the owner of a socket path. An exclusive lock on {@code <socket>.lock},
 * held for the daemon's lifetime, stops a second Berth; a socket file left by a crashed
 * daemon is replaced, but one that still accepts connections (some other live server) is not.
 */
final class SocketGuard implements AutoCloseable {
    /** S_IFMT and S_IFSOCK from stat(2). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path socket;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private SocketGuard(Path socket, FileChannel lockChannel, FileLock lock) {
        this.socket = socket;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static SocketGuard claim(Path socket) throws DaemonStartException {
        Path lockFile = socket.resolveSibling(socket.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            PrivateDirs.create(socket.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
                throw new DaemonStartException("another Berth daemon" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + " is serving " + socket + "; stop it first, or start this one with another --socket");
            }
            removeStaleSocket(socket);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new SocketGuard(socket, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DaemonStartException("cannot claim " + socket + ": " + e.getMessage(), e);
        } catch (DaemonStartException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The lock, or null when another process (or another daemon in this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    private static void removeStaleSocket(Path socket) throws IOException, DaemonStartException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new DaemonStartException(socket + " exists and is not a socket; remove it or choose another --socket");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new DaemonStartException("a live process is serving " + socket
                    + " (it accepted a connection); stop it first, or start Berth with another --socket");
        } catch (ConnectException refused) {
            Files.delete(socket); // left by a daemon that died: nobody listens
        }
    }

    /** Restricts the bound socket to owner and group, as containerd's socket is. */
    void restrictSocketMode() throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    }

    Path socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the next daemon replaces a stale socket anyway
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to undo
            }
        }
    }
}
