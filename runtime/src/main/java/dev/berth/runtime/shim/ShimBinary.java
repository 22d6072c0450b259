package dev.berth.runtime.shim;

import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The berth-shim executable. It ships inside the runtime jar; the daemon keeps one sealed
 * in-memory copy of it and every shim runs from that copy through {@code /proc/<daemon>/fd/<n>}.
 *
 * <p>Sealed, because a container must never be able to rewrite the program its monitor runs
 * (CVE-2019-5736: writes through /proc/<pid>/exe). One copy for all shims, because a copy per
 * shim (what the shim makes for itself when started from a plain file) costs each one its own
 * ~70 KB of shared memory plus unshared text pages; from one copy the text pages are shared.
 * A shim keeps its mapping when the daemon exits; the next daemon makes a new copy.
 */
public final class ShimBinary {
    private static final String RESOURCE = "/native/berth-shim";

    private ShimBinary() {}

    /** The path every shim of this daemon is started from (made on first use, then kept open). */
    public static Path path() {
        return SealedCopy.PATH;
    }

    private static final class SealedCopy {
        static final Path PATH = make(new LinuxSyscalls());

        static Path make(Syscalls sys) {
            int fd = sys.sealedCopy("berth-shim", bytes());
            return Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
        }
    }

    static byte[] bytes() {
        try (InputStream in = ShimBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("berth-shim is missing from the runtime jar; rebuild with gcc and libseccomp-dev installed");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read berth-shim from the runtime jar", e);
        }
    }
}
