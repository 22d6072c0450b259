package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.sys.RecordingSyscalls;
import dev.berth.runtime.sys.SyscallException;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syscall sequence of namespace pins, with the recording fake (no root). */
class NetnsPinsTest {
    @TempDir
    Path dir;

    @Test
    void createUnsharesOnItsOwnThreadBindsTheThreadsNetnsOntoAnEmptyPinAndRaisesLo() {
        RecordingSyscalls sys = new RecordingSyscalls();
        Path pin = new NetnsPins(dir, sys).create("pod1");
        assertEquals(dir.resolve("pod1"), pin);
        assertTrue(Files.isRegularFile(pin));
        assertEquals(List.of("unshare 0x40000000", "mount /proc/self/task/1/ns/net " + pin + " null 0x1000", "linkUp lo"), sys.calls());
    }

    @Test
    void failedMountLeavesNoPin() {
        RecordingSyscalls sys = new RecordingSyscalls().failing(c -> c.startsWith("mount"), 1);
        NetnsPins pins = new NetnsPins(dir, sys);
        assertThrows(SyscallException.class, () -> pins.create("pod1"));
        assertFalse(Files.exists(dir.resolve("pod1")));
        assertEquals("umount " + dir.resolve("pod1") + " " + Syscalls.MNT_DETACH, sys.calls().getLast());
    }

    @Test
    void removeToleratesAPinThatIsNotMountedOrGone() {
        RecordingSyscalls sys = new RecordingSyscalls().failing(c -> c.startsWith("umount"), 22);
        NetnsPins pins = new NetnsPins(dir, sys);
        pins.create("pod1");
        assertEquals(Set.of("pod1"), pins.list());
        pins.remove("pod1");
        pins.remove("pod1");
        assertEquals(Set.of(), pins.list());
    }
}
