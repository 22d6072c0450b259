package dev.berth.runtime.sys;

/** A failed system call: which one, on what, and the errno the kernel returned. */
public final class SyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public SyscallException(String call, String subject, int errno, String reason) {
        super(call + "(" + subject + "): " + reason + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
