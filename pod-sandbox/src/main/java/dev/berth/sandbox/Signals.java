package dev.berth.sandbox;

import dev.berth.cri.api.v1.Signal;
import java.util.Locale;
import java.util.Map;

/** Linux signal numbers (x86-64) by name, for StopContainer's first signal. */
final class Signals {
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {}

    /**
     * A signal as an image's STOPSIGNAL writes it: {@code SIGTERM}, {@code TERM}, {@code 15} or
     * {@code SIGRTMIN+3}. Throws IllegalArgumentException for anything else.
     */
    static int parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 64) {
                return n;
            }
        }
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        if (s.startsWith("RTMIN") || s.startsWith("RTMAX")) {
            int base = s.startsWith("RTMIN") ? 34 : 64;
            // CRI spells SIGRTMIN+1 as SIGRTMINPLUS1 and SIGRTMAX-1 as SIGRTMAXMINUS1.
            String rest = s.substring(5).replace("PLUS", "+").replace("MINUS", "-");
            int offset;
            try {
                offset = rest.isEmpty() ? 0 : Integer.parseInt(rest);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unknown signal \"" + text + "\"");
            }
            int n = base + offset;
            if (n >= 34 && n <= 64) {
                return n;
            }
        }
        Integer n = NUMBERS.get(s);
        if (n == null) {
            throw new IllegalArgumentException("unknown signal \"" + text + "\"");
        }
        return n;
    }

    /** The CRI stop signal, or 0 for RUNTIME_DEFAULT (let the image decide). */
    static int of(Signal signal) {
        if (signal == null || signal == Signal.RUNTIME_DEFAULT || signal == Signal.UNRECOGNIZED) {
            return 0;
        }
        return parse(signal.name());
    }

    /** The CRI enum for a number (RUNTIME_DEFAULT when CRI has no name for it). */
    static Signal toCri(int number) {
        for (Signal s : Signal.values()) {
            if (s != Signal.RUNTIME_DEFAULT && s != Signal.UNRECOGNIZED) {
                try {
                    if (parse(s.name()) == number) {
                        return s;
                    }
                } catch (IllegalArgumentException ignored) {
                    // a CRI name this table lacks
                }
            }
        }
        return Signal.RUNTIME_DEFAULT;
    }
}
