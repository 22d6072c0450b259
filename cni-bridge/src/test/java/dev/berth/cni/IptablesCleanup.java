package dev.berth.cni;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Removes nat-table chains that root tests caused (with the rules jumping to them), through
 * {@code iptables-restore --noflush} so quoted comments survive.
 */
final class IptablesCleanup {
    private IptablesCleanup() {}

    /** Chains of the nat table, as named by iptables-save. */
    static List<String> chains(String save) {
        return save.lines().filter(l -> l.startsWith(":")).map(l -> l.substring(1, l.indexOf(' '))).toList();
    }

    /** Deletes every chain that {@code remove} accepts, flushing it and deleting the rules that jump to it. */
    static void removeChains(Predicate<String> remove) throws IOException, InterruptedException {
        String save = Sh.ok("iptables-save", "-t", "nat");
        List<String> doomed = chains(save).stream().filter(remove).toList();
        if (doomed.isEmpty()) {
            return;
        }
        List<String> script = new ArrayList<>(List.of("*nat"));
        for (String line : save.lines().toList()) {
            for (String chain : doomed) {
                if (line.startsWith("-A ") && line.endsWith(" -j " + chain) && !doomed.contains(line.split(" ")[1])) {
                    script.add("-D" + line.substring(2));
                }
            }
        }
        doomed.forEach(c -> script.add("-F " + c));
        doomed.forEach(c -> script.add("-X " + c));
        script.add("COMMIT");
        Process p = new ProcessBuilder("iptables-restore", "--noflush").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", script) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("iptables-restore failed: " + out + " for " + script);
        }
    }

    /** Names of nat chains whose rules mention {@code text} (e.g. a pod id in a comment). */
    static List<String> chainsMentioning(String text) throws IOException, InterruptedException {
        String save = Sh.ok("iptables-save", "-t", "nat");
        return save.lines().filter(l -> l.startsWith("-A ") && l.contains(text)).map(l -> l.split(" ")[1])
                .filter(c -> !List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING").contains(c)).distinct().toList();
    }
}
