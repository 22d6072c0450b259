package dev.berth.server.streaming;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Which threads are alive, virtual ones included (the JDK's thread dump lists them; Thread.getAllStackTraces does not). */
final class LiveThreads {

    private LiveThreads() {}

    static boolean any(String part) throws IOException {
        return dump().contains(part);
    }

    /** Waits until no live thread's name contains {@code part}; fails with the dump otherwise. */
    static void awaitNone(String part, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String dump = dump();
        while (dump.contains(part)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads named \"" + part + "\" still alive after " + timeout + ":\n" + dump);
            }
            Thread.sleep(50);
            dump = dump();
        }
    }

    private static String dump() throws IOException {
        Path dir = Files.createTempDirectory("threads");
        Path file = dir.resolve("dump.txt");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            return Files.readString(file);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }
}
