package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runtime.sys.LinuxSyscalls;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real network namespaces: made on a throwaway thread, pinned, removed; the daemon's own network untouched. */
@Tag("root")
class NetnsRootTest {
    @TempDir
    Path dir;

    @Test
    void pinnedNetnsHasLoUpAndNoThreadOfTheJvmLeavesTheHostNetns() throws Exception {
        assumeTrue(Sh.isRoot(), "needs root: unshare(CLONE_NEWNET) and bind mounts");
        Object hostNetns = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
        Set<String> hostInterfaces = interfaceNames();
        NetnsPins pins = new NetnsPins(dir, new LinuxSyscalls());

        Path pin = pins.create("pod1");
        try {
            assertNotEquals(hostNetns, Files.getAttribute(pin, "unix:ino"), "the pin holds a new namespace");
            assertEquals(hostNetns, Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino"));
            // the throwaway thread that made the namespace may still be on its way out
            for (int i = 0; i < 100 && !netnsOfEveryThread().equals(Set.of(hostNetns)); i++) {
                Thread.sleep(20);
            }
            assertEquals(Set.of(hostNetns), netnsOfEveryThread(), "every JVM thread is still in the host namespace");
            assertEquals(hostInterfaces, interfaceNames(), "host interfaces still visible");
            String links = Sh.ok("nsenter", "--net=" + pin, "ip", "-o", "link", "show");
            assertEquals(1, links.lines().count(), "only lo inside: " + links);
            assertTrue(links.contains("lo: <LOOPBACK,UP,LOWER_UP>"), links);
            assertTrue(mounted(pin));
        } finally {
            pins.remove("pod1");
        }
        assertFalse(Files.exists(pin));
        assertFalse(mounted(pin), "the pin is unmounted");
    }

    private static boolean mounted(Path pin) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(" " + pin + " "));
    }

    private static Set<Object> netnsOfEveryThread() throws Exception {
        Set<Object> namespaces = new java.util.HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    namespaces.add(Files.getAttribute(task.resolve("ns/net"), "unix:ino"));
                } catch (java.nio.file.NoSuchFileException ended) {
                    // a thread that ended meanwhile
                }
            }
        }
        return namespaces;
    }

    private static Set<String> interfaceNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            names.add(nic.getName());
        }
        assertTrue(names.containsAll(List.of("lo")), names.toString());
        return names;
    }
}
