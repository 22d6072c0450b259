package dev.berth.runtime.sys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link Syscalls} that performs nothing and records every call as a line of text, for
 * unit tests of logic that mounts or enters namespaces. A test can make chosen calls fail.
 */
public final class RecordingSyscalls implements Syscalls {
    private final List<String> calls = new ArrayList<>();
    private Predicate<String> failWhen = call -> false;
    private int failErrno;

    /** Calls whose recorded line matches {@code when} throw with {@code errno}. */
    public RecordingSyscalls failing(Predicate<String> when, int errno) {
        this.failWhen = when;
        this.failErrno = errno;
        return this;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private synchronized void record(String call) {
        calls.add(call);
        if (failWhen.test(call)) {
            throw new SyscallException(call.substring(0, call.indexOf(' ')), call, failErrno, "injected failure");
        }
    }

    @Override
    public void mount(String source, Path target, String fsType, long flags, String data) {
        record("mount " + source + " " + target + " " + fsType + " 0x" + Long.toHexString(flags) + (data == null ? "" : " " + data));
    }

    @Override
    public void umount(Path target, int flags) {
        record("umount " + target + " " + flags);
    }

    @Override
    public void unshare(int flags) {
        record("unshare 0x" + Integer.toHexString(flags));
    }

    @Override
    public void setns(Path nsFile, int nsType) {
        record("setns " + nsFile + " 0x" + Integer.toHexString(nsType));
    }

    @Override
    public void kill(long pid, int signal) {
        record("kill " + pid + " " + signal);
    }

    @Override
    public long gettid() {
        return 1;
    }

    /** Records the call and returns a made-up descriptor (nothing is opened). */
    @Override
    public int openDirectory(Path dir) {
        record("openDirectory " + dir);
        return 1000;
    }

    /** Records the call and returns a made-up descriptor (nothing is copied). */
    @Override
    public int sealedCopy(String name, byte[] content) {
        record("sealedCopy " + name + " " + content.length + " bytes");
        return 1001;
    }

    @Override
    public void close(int fd) {
        record("close " + fd);
    }

    @Override
    public void linkUp(String name) {
        record("linkUp " + name);
    }
}
