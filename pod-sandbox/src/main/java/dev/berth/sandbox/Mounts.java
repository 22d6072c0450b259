package dev.berth.sandbox;

import dev.berth.runtime.sys.SyscallException;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Path;

/** Unmounting what Berth mounted on the host (a container's rootfs, a pod's /dev/shm). */
final class Mounts {
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;
    /** More mounts on one path than Berth ever stacks there: stop rather than loop on a fake. */
    private static final int MAX_STACKED = 8;

    private Mounts() {}

    /**
     * Unmounts every mount stacked on {@code target} (lazily, so a busy one still goes); none is
     * fine. umount2 until the kernel says nothing is mounted there (EINVAL) or there is no such
     * path (ENOENT): no scan of /proc/self/mountinfo, which lists every mount of the node.
     */
    static void unmountAll(Syscalls sys, Path target) {
        for (int i = 0; i < MAX_STACKED; i++) {
            try {
                sys.umount(target, Syscalls.MNT_DETACH);
            } catch (SyscallException e) {
                if (e.errno() == EINVAL || e.errno() == ENOENT) {
                    return;
                }
                throw e;
            }
        }
    }
}
