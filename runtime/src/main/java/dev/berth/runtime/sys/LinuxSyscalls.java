package dev.berth.runtime.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/** {@link Syscalls} through libc, with jnr-ffi. */
public final class LinuxSyscalls implements Syscalls {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_PATH = 0x200000;
    private static final long SYS_GETTID = 186; // x86_64
    // linkUp: an AF_INET datagram socket is the handle for interface ioctls; struct ifreq is
    // 40 bytes on x86_64 (16-byte name, then the union whose first short is ifr_flags).
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final int IFF_UP = 0x1;
    private static final int MFD_CLOEXEC = 0x1;
    private static final int MFD_ALLOW_SEALING = 0x2;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEAL_SEAL = 0x1;
    private static final int F_SEAL_SHRINK = 0x2;
    private static final int F_SEAL_GROW = 0x4;
    private static final int F_SEAL_WRITE = 0x8;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    /** The libc functions Berth binds; errno is saved right after each call. */
    public interface LibC {
        @SaveError
        int mount(String source, String target, String fsType, long flags, String data);

        @SaveError
        int umount2(String target, int flags);

        @SaveError
        int unshare(int flags);

        @SaveError
        int setns(int fd, int nsType);

        @SaveError
        int open(String path, int flags);

        int close(int fd);

        @SaveError
        int memfd_create(String name, int flags);

        @SaveError
        long write(int fd, @In byte[] buffer, long count);

        @SaveError
        int fcntl(int fd, int command, int argument);

        @SaveError
        int kill(int pid, int signal);

        long syscall(long number);

        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        int ioctl(int fd, long request, @In @Out byte[] arg);

        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    @Override
    public void mount(String source, Path target, String fsType, long flags, String data) {
        check(Holder.LIBC.mount(source, target.toString(), fsType, flags, data), "mount",
                source + " on " + target + (fsType == null ? "" : " type " + fsType) + " flags 0x" + Long.toHexString(flags));
    }

    @Override
    public void umount(Path target, int flags) {
        check(Holder.LIBC.umount2(target.toString(), flags), "umount2", target.toString());
    }

    @Override
    public void unshare(int flags) {
        check(Holder.LIBC.unshare(flags), "unshare", "0x" + Integer.toHexString(flags));
    }

    @Override
    public void setns(Path nsFile, int nsType) {
        int fd = Holder.LIBC.open(nsFile.toString(), O_RDONLY | O_CLOEXEC);
        check(fd, "open", nsFile.toString());
        try {
            check(Holder.LIBC.setns(fd, nsType), "setns", nsFile.toString());
        } finally {
            Holder.LIBC.close(fd);
        }
    }

    @Override
    public void kill(long pid, int signal) {
        check(Holder.LIBC.kill(Math.toIntExact(pid), signal), "kill", "pid " + pid + " signal " + signal);
    }

    @Override
    public long gettid() {
        return Holder.LIBC.syscall(SYS_GETTID);
    }

    @Override
    public int openDirectory(Path dir) {
        int fd = Holder.LIBC.open(dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        check(fd, "open", dir.toString());
        return fd;
    }

    @Override
    public void close(int fd) {
        Holder.LIBC.close(fd);
    }

    @Override
    public int sealedCopy(String name, byte[] content) {
        int fd = Holder.LIBC.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        check(fd, "memfd_create", name);
        try {
            byte[] rest = content;
            while (rest.length > 0) {
                long written = Holder.LIBC.write(fd, rest, rest.length);
                check(written < 0 ? -1 : 0, "write", "memfd " + name);
                rest = Arrays.copyOfRange(rest, (int) written, rest.length);
            }
            check(Holder.LIBC.fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "fcntl",
                    "F_ADD_SEALS on memfd " + name);
            return fd;
        } catch (RuntimeException e) {
            Holder.LIBC.close(fd);
            throw e;
        }
    }

    @Override
    public void linkUp(String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must have 1 to 15 characters: " + name);
        }
        int fd = Holder.LIBC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        check(fd, "socket", "AF_INET for " + name);
        try {
            byte[] ifreq = new byte[IFREQ_SIZE];
            System.arraycopy(nameBytes, 0, ifreq, 0, nameBytes.length);
            check(Holder.LIBC.ioctl(fd, SIOCGIFFLAGS, ifreq), "ioctl", "SIOCGIFFLAGS " + name);
            ifreq[IFNAMSIZ] |= (byte) IFF_UP; // ifr_flags is a little-endian short at offset 16
            check(Holder.LIBC.ioctl(fd, SIOCSIFFLAGS, ifreq), "ioctl", "SIOCSIFFLAGS " + name);
        } finally {
            Holder.LIBC.close(fd);
        }
    }

    private static void check(int result, String call, String subject) {
        if (result < 0) {
            int errno = Holder.RUNTIME.getLastError();
            throw new SyscallException(call, subject, errno, Holder.LIBC.strerror(errno));
        }
    }
}
