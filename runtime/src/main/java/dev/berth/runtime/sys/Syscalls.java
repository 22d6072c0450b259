package dev.berth.runtime.sys;

import java.nio.file.Path;

/**
 * The system calls the daemon itself makes. Everything the kernel offers through files
 * (cgroups, /proc) is plain Java I/O; only these go through native code. Each failure throws
 * {@link SyscallException} naming the call, the path or value involved, and the errno.
 *
 * <p>Namespace calls ({@link #unshare}, {@link #setns}) change only the calling thread; run them
 * on a thread Berth owns and keeps apart (see {@code NamespaceThread}), never on a pooled one.
 * {@link LinuxSyscalls} is the real implementation; {@link RecordingSyscalls} records calls
 * for unit tests that cannot be root.
 */
public interface Syscalls {
    // mount(2) flags
    long MS_RDONLY = 0x1;
    long MS_NOSUID = 0x2;
    long MS_NODEV = 0x4;
    long MS_NOEXEC = 0x8;
    long MS_REMOUNT = 0x20;
    long MS_BIND = 0x1000;
    long MS_MOVE = 0x2000;
    long MS_REC = 0x4000;
    long MS_PRIVATE = 1L << 18;
    long MS_SLAVE = 1L << 19;
    long MS_SHARED = 1L << 20;

    // umount2(2) flags
    int MNT_DETACH = 0x2;

    // clone(2) namespace flags, for unshare and setns
    int CLONE_NEWNS = 0x00020000;
    int CLONE_NEWCGROUP = 0x02000000;
    int CLONE_NEWUTS = 0x04000000;
    int CLONE_NEWIPC = 0x08000000;
    int CLONE_NEWUSER = 0x10000000;
    int CLONE_NEWPID = 0x20000000;
    int CLONE_NEWNET = 0x40000000;

    void mount(String source, Path target, String fsType, long flags, String data);

    void umount(Path target, int flags);

    void unshare(int flags);

    /** Moves the calling thread into the namespace that {@code nsFile} (e.g. /proc/PID/ns/net) refers to. */
    void setns(Path nsFile, int nsType);

    void kill(long pid, int signal);

    /** The calling thread's kernel id, for /proc/thread-self-like paths. */
    long gettid();

    /**
     * Opens a directory as an {@code O_PATH} descriptor (close-on-exec), so a file in it can be named by
     * the short path {@code /proc/self/fd/<fd>/<name>} whatever the directory's length (unix socket
     * addresses hold only 108 bytes). Close it with {@link #close}.
     */
    int openDirectory(Path dir);

    void close(int fd);

    /**
     * A sealed in-memory copy of an executable (memfd_create + F_SEAL_WRITE and friends), open
     * close-on-exec in this process: any process may run it as {@code /proc/<our pid>/fd/<fd>}, and
     * nobody, not even root through {@code /proc/<pid>/exe}, can change it (CVE-2019-5736).
     */
    int sealedCopy(String name, byte[] content);

    /**
     * Sets IFF_UP on network interface {@code name} in the calling thread's network namespace
     * (socket(2) + ioctl(2) SIOCGIFFLAGS/SIOCSIFFLAGS); cni-bridge uses it for {@code lo} of a new netns.
     */
    void linkUp(String name);
}
