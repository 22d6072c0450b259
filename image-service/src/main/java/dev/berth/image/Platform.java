package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An OCI platform and the rules for choosing an index entry (as containerd's platforms matcher). */
record Platform(String os, String architecture, String variant) {
    static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");

    /**
     * The best entry for linux/amd64 on a host of x86-64 microarchitecture level {@code hostLevel}
     * (1-4): os and architecture equal (x86_64 is amd64); variant none or {@code vN} with N at most
     * the host's level; the highest such level wins, an entry without variant counts as v1.
     */
    static Optional<Descriptor> chooseAmd64(List<Descriptor> entries, int hostLevel) {
        return entries.stream()
                .filter(d -> d.platform().isPresent())
                .filter(d -> d.platform().get().os().equals("linux") && isAmd64(d.platform().get().architecture()))
                .filter(d -> level(d.platform().get().variant()) <= hostLevel)
                .max(Comparator.comparingInt(d -> level(d.platform().get().variant())));
    }

    private static boolean isAmd64(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64");
    }

    /** v1..v4 as 1..4; no variant is v1; anything else never matches. */
    static int level(String variant) {
        return switch (variant) {
            case "", "v1" -> 1;
            case "v2" -> 2;
            case "v3" -> 3;
            case "v4" -> 4;
            default -> Integer.MAX_VALUE;
        };
    }

    /** This host's x86-64 level from /proc/cpuinfo flags (psABI levels); 1 when unknown. */
    static int hostAmd64Level() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            int start = info.indexOf("\nflags");
            if (start < 0) {
                return 1;
            }
            String line = info.substring(info.indexOf(':', start) + 1, info.indexOf('\n', start + 1));
            Set<String> flags = Set.of(line.trim().split("\\s+"));
            if (!flags.containsAll(Set.of("cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"))) {
                return 1;
            }
            if (!flags.containsAll(Set.of("avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"))) {
                return 2;
            }
            return flags.containsAll(Set.of("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl")) ? 4 : 3;
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
