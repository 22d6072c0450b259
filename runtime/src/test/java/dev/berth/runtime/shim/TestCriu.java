package dev.berth.runtime.shim;

import dev.berth.runtime.CheckpointSupport;
import java.time.Clock;
import org.junit.jupiter.api.Assumptions;

/**
 * The CRIU root tests use: {@code criu} on PATH, or the binary {@code BERTH_TEST_CRIU} names. Tests
 * skip, saying why, when {@code criu check} fails: Debian 12's criu 3.17 does on x86 kernels from
 * 6.15 on (their vDSO has no DT_HASH; CRIU reads it since 4.1).
 */
final class TestCriu {
    static final String COMMAND = System.getenv().getOrDefault("BERTH_TEST_CRIU", "criu");

    private TestCriu() {}

    static void assumeWorking() {
        CheckpointSupport support = new Criu(COMMAND, Clock.systemUTC()).support();
        Assumptions.assumeTrue(support.available(), () -> "needs a working CRIU; " + COMMAND + " says: " + support.reason()
                + " -- Debian 12's criu 3.17 fails `criu check` on kernels >= 6.15 (vDSO without DT_HASH); point"
                + " BERTH_TEST_CRIU at a CRIU >= 4.1 to run this test");
    }
}
