package dev.berth.image;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/** {@link FsOps} through libc, with jnr-ffi. */
final class LinuxFsOps implements FsOps {
    /** The libc functions this module binds; errno is saved right after each call. */
    public interface LibC {
        @SaveError
        int mknod(String path, int mode, long dev);

        @SaveError
        int lchown(String path, int uid, int gid);

        @SaveError
        int lsetxattr(String path, String name, byte[] value, long size, int flags);

        @SaveError
        long lgetxattr(String path, String name, byte[] value, long size);

        String strerror(int errno);
    }

    private static final int ENODATA = 61;
    private static final int EOPNOTSUPP = 95;
    /** xattr values Berth reads are flags; 64 KiB is the kernel's own cap. */
    private static final int MAX_XATTR = 65536;

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        check(Holder.LIBC.mknod(path.toString(), mode, makedev(major, minor)), "mknod", path);
    }

    @Override
    public void lchown(Path path, long uid, long gid) {
        check(Holder.LIBC.lchown(path.toString(), (int) uid, (int) gid), "lchown", path);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        check(Holder.LIBC.lsetxattr(path.toString(), name, value, value.length, 0), "lsetxattr " + name, path);
    }

    @Override
    public byte[] lgetxattr(Path path, String name) {
        byte[] buf = new byte[MAX_XATTR];
        long n = Holder.LIBC.lgetxattr(path.toString(), name, buf, buf.length);
        if (n < 0) {
            int errno = Holder.RUNTIME.getLastError();
            if (errno == ENODATA || errno == EOPNOTSUPP) {
                return null;
            }
            check((int) n, "lgetxattr " + name, path);
        }
        return java.util.Arrays.copyOf(buf, (int) n);
    }

    /** glibc's makedev(3). */
    static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | (minor & 0xffL) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    private static void check(int rc, String call, Path path) {
        if (rc < 0) {
            int errno = Holder.RUNTIME.getLastError();
            throw new ImageException(ImageException.Kind.INTERNAL,
                    call + " " + path + " failed: " + Holder.LIBC.strerror(errno) + " (errno " + errno + ")");
        }
    }
}
