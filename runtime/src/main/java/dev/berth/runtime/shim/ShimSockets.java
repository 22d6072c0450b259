package dev.berth.runtime.shim;

import dev.berth.runtime.sys.SyscallException;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Connects to the unix sockets a shim listens on in its container's directory (shim.sock,
 * attach.sock, an exec's console socket). A socket address holds only 108 bytes and a state
 * directory may be longer, so the connection goes through a descriptor of the directory:
 * {@code /proc/self/fd/<n>/shim.sock} is short whatever the directory's path. The shim binds the
 * same way (util.c, unix_listen), so the files stay where {@link ContainerDir} says they are.
 */
final class ShimSockets {
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;

    private final Syscalls sys;

    ShimSockets(Syscalls sys) {
        this.sys = sys;
    }

    /** Connects to {@code socket}; a missing directory or socket is a {@link NoSuchFileException}. */
    SocketChannel connect(Path socket) throws IOException {
        int dir;
        try {
            dir = sys.openDirectory(socket.getParent());
        } catch (SyscallException e) {
            if (e.errno() == ENOENT || e.errno() == ENOTDIR) {
                throw new NoSuchFileException(socket.toString());
            }
            throw new IOException("cannot open the directory of " + socket + ": " + e.getMessage(), e);
        }
        try {
            // The descriptor is the process's, so the path works from any thread until we close it.
            return SocketChannel.open(UnixDomainSocketAddress.of("/proc/self/fd/" + dir + "/" + socket.getFileName()));
        } finally {
            sys.close(dir);
        }
    }
}
