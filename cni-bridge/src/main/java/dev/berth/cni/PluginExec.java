package dev.berth.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.sys.SyscallException;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs one plugin binary once (SPEC §2): parameters in the environment, config on stdin, result
 * or error object on stdout. Each call has a deadline; a plugin over it is killed with its
 * whole process group (it runs in its own session through {@code setsid}, so helpers it
 * started, such as iptables, die too). stdout and stderr are each capped.
 */
final class PluginExec {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int SIGKILL = 9;

    private final List<Path> binDirs;
    private final Duration timeout;
    private final int maxOutput;
    private final Syscalls sys;
    private final ObjectMapper json;

    PluginExec(List<Path> binDirs, Duration timeout, int maxOutput, Syscalls sys, ObjectMapper json) {
        this.binDirs = List.copyOf(binDirs);
        this.timeout = timeout;
        this.maxOutput = maxOutput;
        this.sys = sys;
        this.json = json;
    }

    Optional<Path> find(String type) {
        for (Path dir : binDirs) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    String cniPath() {
        return binDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    String binDirsText() {
        return binDirs.toString();
    }

    /** Runs plugin {@code type} and returns its stdout; a failure is a {@link CniException} naming the plugin. */
    byte[] run(String type, Map<String, String> env, byte[] stdin) {
        Path binary = find(type).orElseThrow(() -> new CniException(type, CniException.RUNTIME_ERROR,
                "CNI plugin \"" + type + "\" not found in " + binDirsText() + "; install it (e.g. Debian containernetworking-plugins) or fix the network config"));
        String command = env.getOrDefault("CNI_COMMAND", "?");
        List<String> argv = new ArrayList<>();
        boolean ownGroup = Files.isExecutable(SETSID);
        if (ownGroup) {
            argv.add(SETSID.toString());
        }
        argv.add(binary.toString());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().keySet().removeIf(k -> k.startsWith("CNI_"));
        builder.environment().put("CNI_PATH", cniPath());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CniException(type, CniException.RUNTIME_ERROR, "cannot run CNI plugin " + binary + ": " + e.getMessage(), e);
        }
        Capture out = Capture.start(process.getInputStream(), maxOutput);
        Capture err = Capture.start(process.getErrorStream(), maxOutput);
        Thread.ofVirtual().start(() -> feed(process.getOutputStream(), stdin));
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process, ownGroup);
            Thread.currentThread().interrupt();
            throw new CniException(type, CniException.RUNTIME_ERROR, "interrupted while CNI plugin " + type + " ran " + command + "; it was killed");
        }
        if (!finished) {
            kill(process, ownGroup);
            throw new CniException(type, CniException.TIMEOUT, "CNI plugin " + type + " " + command + " did not finish within "
                    + timeout.toMillis() + " ms and was killed" + tail(err.text()));
        }
        byte[] stdout = out.bytes();
        if (process.exitValue() == 0) {
            if (out.overflowed()) {
                throw new CniException(type, CniException.RUNTIME_ERROR, "CNI plugin " + type + " " + command + " wrote more than " + maxOutput + " bytes to stdout");
            }
            return stdout;
        }
        throw failure(type, command, process.exitValue(), stdout, err.text());
    }

    private CniException failure(String type, String command, int status, byte[] stdout, String stderr) {
        try {
            JsonNode error = json.readTree(stdout);
            if (error != null && error.hasNonNull("code")) {
                String msg = error.path("msg").asText("");
                String details = error.path("details").asText("");
                return new CniException(type, error.path("code").asInt(), "CNI plugin " + type + " " + command + " failed with code "
                        + error.path("code").asInt() + ": " + msg + (details.isEmpty() ? "" : " (" + details + ")"));
            }
        } catch (IOException notJson) {
            // fall through: report what the plugin printed
        }
        String printed = new String(stdout, StandardCharsets.UTF_8).strip();
        return new CniException(type, CniException.RUNTIME_ERROR, "CNI plugin " + type + " " + command + " exited with status " + status
                + (printed.isEmpty() ? "" : ": " + abbreviate(printed)) + tail(stderr));
    }

    private void kill(Process process, boolean ownGroup) {
        if (ownGroup) {
            try {
                sys.kill(-process.pid(), SIGKILL);
            } catch (SyscallException gone) {
                // the group is already gone
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void feed(OutputStream stdin, byte[] bytes) {
        try (stdin) {
            stdin.write(bytes);
        } catch (IOException ignored) {
            // the plugin closed its stdin early; its exit status tells the rest
        }
    }

    private static String tail(String stderr) {
        String s = stderr.strip();
        return s.isEmpty() ? "" : "; stderr: " + abbreviate(s);
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
    }

    /** Reads a stream to its end on a virtual thread, keeping at most {@code cap} bytes. */
    private static final class Capture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;
        private volatile boolean overflowed;

        private Capture(InputStream in, int cap) {
            this.reader = Thread.ofVirtual().unstarted(() -> drain(in, cap));
        }

        static Capture start(InputStream in, int cap) {
            Capture capture = new Capture(in, cap);
            capture.reader.start();
            return capture;
        }

        private void drain(InputStream in, int cap) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (kept) {
                        int room = cap - kept.size();
                        kept.write(buffer, 0, Math.min(room, n));
                        if (n > room) {
                            overflowed = true;
                        }
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
        }

        /** What was read, waiting briefly for the reader to see the end of the stream. */
        byte[] bytes() {
            try {
                reader.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        boolean overflowed() {
            return overflowed;
        }
    }
}
