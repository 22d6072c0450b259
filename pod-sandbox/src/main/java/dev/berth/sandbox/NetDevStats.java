package dev.berth.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Interface counters of a network namespace, read from /proc/<pid in it>/net/dev. */
final class NetDevStats {
    record Interface(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets,
            long txErrors, long txDropped) {}

    private NetDevStats() {}

    /** The interfaces but loopback; empty when the file cannot be read (the process is gone). */
    static List<Interface> read(Path netDev) {
        try {
            return parse(Files.readAllLines(netDev));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Two header lines, then {@code name: rx_bytes packets errs drop fifo frame compressed multicast
     * tx_bytes packets errs ...}.
     */
    static List<Interface> parse(List<String> lines) {
        List<Interface> out = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (name.equals("lo") || f.length < 12) {
                continue;
            }
            try {
                out.add(new Interface(name, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
            } catch (NumberFormatException ignored) {
                // not a counter line
            }
        }
        return out;
    }
}
