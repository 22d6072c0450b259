package dev.berth.runtime.shim;

import dev.berth.runtime.CheckpointSupport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CRIU binary: found by name on PATH or by path, asked {@code criu check} once (a passing
 * check is kept; a failing one is asked again after a minute, so installing CRIU needs no restart),
 * and run with a time limit and bounded output.
 */
final class Criu {
    private static final Duration RECHECK_FAILED = Duration.ofMinutes(1);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_OUTPUT = 64 << 10;
    private static final int TAIL_LINES = 8;
    /** A CRIU log at -v4 runs to megabytes; its errors are near the end. */
    private static final int LOG_TAIL_BYTES = 256 << 10;

    /** What a run printed and how it ended ({@code exitCode} -1: killed at the time limit). */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final String command;
    private final Clock clock;
    private CheckpointSupport cached;
    private Instant checkedAt;

    Criu(String command, Clock clock) {
        this.command = command;
        this.clock = clock;
    }

    /** The binary, absolute; null when the name is on no PATH directory or the path is no executable file. */
    Path binary() {
        if (command.contains("/")) {
            Path p = Path.of(command).toAbsolutePath();
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    synchronized CheckpointSupport support() {
        Instant now = clock.instant();
        if (cached == null || (!cached.available() && now.isAfter(checkedAt.plus(RECHECK_FAILED)))) {
            cached = check();
            checkedAt = now;
        }
        return cached;
    }

    private CheckpointSupport check() {
        Path binary = binary();
        if (binary == null) {
            return new CheckpointSupport(false, "CRIU (" + command + ") is not installed or not executable: install Debian's"
                    + " criu package, or point checkpoint.criu_path at a CRIU binary", command, "");
        }
        Result version = run(binary, List.of("--version"), CHECK_TIMEOUT);
        String v = version.output().lines().filter(l -> l.startsWith("Version:")).map(l -> l.substring(8).strip())
                .findFirst().orElse("");
        Result check = run(binary, List.of("check"), CHECK_TIMEOUT);
        if (check.ok()) {
            return new CheckpointSupport(true, "", binary.toString(), v);
        }
        String tail = tail(check.output());
        String hint = tail.contains("vdso") ? " (CRIU before 4.1 cannot read the vDSO of kernels without DT_HASH, as"
                + " x86 kernels since 6.15; use CRIU 4.1 or newer)" : "";
        return new CheckpointSupport(false, "criu check failed" + hint + ": " + tail, binary.toString(), v);
    }

    Result run(Path binary, List<String> args, Duration timeout) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        argv.addAll(args);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CompletableFuture<byte[]> out = ExecRunner.drain(p.getInputStream(), MAX_OUTPUT);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, new String(out.join(), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, "cannot run " + binary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** The last lines of a CRIU output or log, one line, for an error message. */
    static String tail(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    /** The errors of a CRIU log file (or its last lines when it has none marked), for an error message. */
    /** " (criu said: <its last lines>)" for a failure message, or "" when it said nothing. */
    static String said(String output) {
        String tail = tail(output);
        return tail.isEmpty() ? "" : " (criu said: " + tail + ")";
    }

    static String logTail(Path log) {
        try (var ch = java.nio.channels.FileChannel.open(log)) {
            long from = Math.max(0, ch.size() - LOG_TAIL_BYTES);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (ch.size() - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // read the tail whole
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            List<String> errors = text.lines().filter(l -> l.contains("Error (")).toList();
            return tail(errors.isEmpty() ? text : String.join("\n", errors));
        } catch (IOException e) {
            return "(no log " + log + ")";
        }
    }
}
