package dev.berth.runtime.sys;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/** {@link Syscalls} through libc, with jnr-ffi. */
public final class LinuxSyscalls implements Syscalls {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final long SYS_GETTID = 186; // x86_64

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
        int kill(int pid, int signal);

        long syscall(long number);

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

    private static void check(int result, String call, String subject) {
        if (result < 0) {
            int errno = Holder.RUNTIME.getLastError();
            throw new SyscallException(call, subject, errno, Holder.LIBC.strerror(errno));
        }
    }
}
