package dev.berth.cni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command for root tests (ip, iptables-save, nsenter...), with a deadline. */
final class Sh {
    record Result(int status, String out) {}

    private Sh() {}

    static Result run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", argv));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs and returns stdout, failing the test on a non-zero status. */
    static String ok(String... argv) throws IOException, InterruptedException {
        Result r = run(argv);
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited " + r.status() + ": " + r.out());
        }
        return r.out();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
