package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated setUp/tearDown on the default network leaks nothing: no pins, mounts, cache files,
 * IPAM reservations or threads. {@code -Dberth.cni.cycles=100} makes it the benchmark whose
 * median ADD and DEL times it prints.
 */
@Tag("root")
class AddDelCyclesRootTest {
    @TempDir
    Path dir;

    @Test
    void manyAddDelCyclesLeaveNothingBehind() throws Exception {
        assumeTrue(Sh.isRoot(), "needs root: network namespaces, bridges and iptables");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "needs Debian containernetworking-plugins in /usr/lib/cni");
        int cycles = Integer.getInteger("berth.cni.cycles", 10);
        String bridge = "bt" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt()) + "c" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        String subnet = "10.86." + ThreadLocalRandom.current().nextInt(256) + ".0/24";
        String natBefore = Sh.ok("iptables-save", "-t", "nat");
        String ipForwardBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        CniConfig config = new CniConfig(List.of(dir.resolve("net.d")), null, dir.resolve("netns"), dir.resolve("cache"),
                Duration.ofSeconds(30), null, null, true, new CniConfig.DefaultNetwork(bridge, bridge, subnet, dir.resolve("ipam")));
        PodNetwork network = PodNetworks.create(config);
        List<Long> add = new ArrayList<>();
        List<Long> del = new ArrayList<>();
        int threadsBefore = 0;
        try {
            for (int i = 0; i < cycles; i++) {
                String pod = "cycle" + i;
                long t0 = System.nanoTime();
                network.setUp(PodNetworkRequest.of(pod, "default", pod, "uid" + i));
                long t1 = System.nanoTime();
                network.tearDown(pod);
                add.add(t1 - t0);
                del.add(System.nanoTime() - t1);
                if (i == 0) {
                    threadsBefore = Thread.getAllStackTraces().size();
                }
            }
            int threadsAfter = Thread.getAllStackTraces().size();
            long tasks;
            try (Stream<Path> t = Files.list(Path.of("/proc/self/task"))) {
                tasks = t.count();
            }
            long pins;
            try (Stream<Path> p = Files.list(dir.resolve("netns"))) {
                pins = p.count();
            }
            System.out.printf("cni cycles=%d addMedianMs=%.1f delMedianMs=%.1f javaThreads=%d->%d osTasks=%d pins=%d%n", cycles,
                    median(add) / 1e6, median(del) / 1e6, threadsBefore, threadsAfter, tasks, pins);
            assertEquals(0, pins, "netns pins left");
            assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().noneMatch(l -> l.contains(dir.toString())), "no pin mount left");
            try (Stream<Path> c = Files.list(dir.resolve("cache"))) {
                assertEquals(0, c.count(), "cache entries left");
            }
            try (Stream<Path> ips = Files.list(dir.resolve("ipam").resolve(bridge))) {
                assertEquals(List.of(), ips.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList(), "IPs still reserved");
            }
            assertTrue(threadsAfter <= threadsBefore + 4, "threads grew from " + threadsBefore + " to " + threadsAfter);
        } finally {
            Sh.run("ip", "link", "del", bridge);
            List<String> before = IptablesCleanup.chains(natBefore);
            boolean othersUseHostPorts = Sh.ok("iptables-save", "-t", "nat").lines().anyMatch(l -> l.startsWith("-A CNI-HOSTPORT-DNAT "));
            IptablesCleanup.removeChains(c -> c.startsWith("CNI-HOSTPORT-") && !before.contains(c) && !othersUseHostPorts);
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForwardBefore);
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
