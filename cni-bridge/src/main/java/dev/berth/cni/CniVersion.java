package dev.berth.cni;

import java.util.List;

/** CNI spec versions Berth speaks, and what each allows. Versions before 0.3.0 (no rich result) are refused. */
final class CniVersion {
    static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    private CniVersion() {}

    static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    /** CHECK, and prevResult on DEL, came with 0.4.0. */
    static boolean hasCheck(String version) {
        return compare(version, "0.4.0") >= 0;
    }

    /** STATUS and GC came with 1.1.0. */
    static boolean hasStatusAndGc(String version) {
        return compare(version, "1.1.0") >= 0;
    }

    /** Compares dotted numeric versions ("1.0.0" &lt; "1.1.0"); a non-numeric part counts as 0. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
