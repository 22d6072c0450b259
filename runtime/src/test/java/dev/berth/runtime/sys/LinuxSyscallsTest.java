package dev.berth.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real libc calls that need no privilege: errors carry errno and the subject. */
class LinuxSyscallsTest {
    private final Syscalls sys = new LinuxSyscalls();

    @Test
    void gettidIsThisThreadsKernelId() throws Exception {
        long tid = sys.gettid();
        assertTrue(Files.exists(Path.of("/proc/self/task/" + tid)), "tid " + tid + " is a task of this process");
    }

    @Test
    void failedCallNamesCallSubjectAndErrno(@TempDir Path dir) {
        SyscallException e = assertThrows(SyscallException.class, () -> sys.setns(dir.resolve("missing"), Syscalls.CLONE_NEWNET));
        assertEquals(2, e.errno()); // ENOENT
        assertTrue(e.getMessage().startsWith("open(" + dir.resolve("missing") + "): No such file or directory"), e.getMessage());
    }

    @Test
    void killOfAMissingProcessIsEsrch() {
        SyscallException e = assertThrows(SyscallException.class, () -> sys.kill(Integer.MAX_VALUE - 1, 0));
        assertEquals(3, e.errno()); // ESRCH
    }

    @Test
    void signalZeroToOurselvesSucceeds() {
        sys.kill(ProcessHandle.current().pid(), 0);
    }

    @Test
    void openDirectoryGivesAShortProcPathToTheDirectory(@TempDir Path dir) throws Exception {
        int fd = sys.openDirectory(dir);
        try {
            assertEquals(dir.toRealPath(), Path.of("/proc/self/fd/" + fd).toRealPath());
        } finally {
            sys.close(fd);
        }
        SyscallException e = assertThrows(SyscallException.class, () -> sys.openDirectory(dir.resolve("missing")));
        assertEquals(2, e.errno()); // ENOENT
    }
}
