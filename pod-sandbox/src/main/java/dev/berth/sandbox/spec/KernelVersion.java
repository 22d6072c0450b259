package dev.berth.sandbox.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release as moby's seccomp minKernel compares it: version and major revision only. */
record KernelVersion(int kernel, int major) {
    private static final Pattern RELEASE = Pattern.compile("(\\d{1,5})\\.(\\d{1,5})(?:[.\\-+~_].*)?");

    /** The running kernel (uname -r, as the JVM's os.version); 0.0 when unreadable, which no minKernel reaches. */
    static KernelVersion running() {
        KernelVersion version = parse(System.getProperty("os.version", ""));
        return version == null ? new KernelVersion(0, 0) : version;
    }

    /** "6.8", "5.15.0-91-generic", "4.8-rc5": null when it does not start with two numbers. */
    static KernelVersion parse(String release) {
        Matcher m = RELEASE.matcher(release);
        return m.matches() ? new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }

    boolean atLeast(KernelVersion other) {
        return kernel != other.kernel ? kernel > other.kernel : major >= other.major;
    }
}
