package dev.berth.runtime.shim;

import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.OomLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A container's state directory, {@code <runtime root>/<id>/}, mode 0700. What recovery
 * relies on, all written atomically (temp file + rename) so a reader sees all or nothing:
 * <ul>
 *   <li>{@code meta} — bundle path, creation time and cgroups path, written by the daemon before the shim starts;</li>
 *   <li>{@code plan} — the launch plan; {@code pid} — the init's host pid, written by the shim once it is ready;</li>
 *   <li>{@code started} — present once the user program was exec'd;</li>
 *   <li>{@code exit} — code, signal, time and whether the OOM killer struck ({@code oom_killed=1}; absent, as in
 *       files of older shims, means no) and then whose limit it was ({@code oom_limit=container|parent|other}, with
 *       {@code oom_limit_bytes}), written by the shim when the init has exited;</li>
 *   <li>{@code shim.sock} — the live shim's control socket (gone, or refusing, once the shim has exited).</li>
 *   <li>for a container restored from a checkpoint ({@code restore=} in meta): {@code restored.pid}, {@code restore.log}
 *       and {@code restore.out}, criu's pid file, log and output; the shim writes {@code pid} once criu has exited.</li>
 * </ul>
 */
record ContainerDir(Path path) {

    Path plan() {
        return path.resolve("plan");
    }

    Path socket() {
        return path.resolve("shim.sock");
    }

    Path meta() {
        return path.resolve("meta");
    }

    boolean started() {
        return Files.exists(path.resolve("started"));
    }

    long pid() throws IOException {
        String text = readOrNull("pid");
        return text == null ? 0 : Long.parseLong(text.strip());
    }

    /** The exit the shim recorded, or null while the container has not exited. */
    ExitStatus exit() throws IOException {
        Map<String, String> fields = keyValues(readOrNull("exit"));
        if (fields == null) {
            return null;
        }
        long ns = Long.parseLong(fields.getOrDefault("exited_at", "0"));
        boolean oomKilled = "1".equals(fields.get("oom_killed"));
        return new ExitStatus(Integer.parseInt(fields.getOrDefault("code", "255")),
                Integer.parseInt(fields.getOrDefault("signal", "0")),
                Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L), fields.getOrDefault("reason", ""),
                oomKilled, oomKilled ? oomLimit(fields) : null);
    }

    /** Whose limit the shim saw fire, its cgroup named by the cgroupsPath in meta; null from shims that did not record it. */
    private OomLimit oomLimit(Map<String, String> fields) throws IOException {
        OomLimit.Scope scope = switch (fields.getOrDefault("oom_limit", "")) {
            case "container" -> OomLimit.Scope.CONTAINER;
            case "parent" -> OomLimit.Scope.PARENT;
            case "other" -> OomLimit.Scope.OTHER;
            default -> null;
        };
        if (scope == null) {
            return null;
        }
        Map<String, String> meta = readMeta();
        String own = meta == null ? "" : meta.getOrDefault("cgroups_path", "");
        String cgroup = switch (scope) {
            case CONTAINER -> own;
            case PARENT -> parentOf(own);
            case OTHER -> "";
        };
        long bytes;
        try {
            bytes = Long.parseLong(fields.getOrDefault("oom_limit_bytes", "0"));
        } catch (NumberFormatException e) {
            bytes = 0;
        }
        return new OomLimit(scope, cgroup, bytes);
    }

    /** "/a/b/c" to "/a/b"; "/" for a cgroup right below the root. */
    static String parentOf(String cgroupsPath) {
        String trimmed = cgroupsPath.replaceAll("/+$", "");
        int slash = trimmed.lastIndexOf('/');
        return slash <= 0 ? "/" : trimmed.substring(0, slash);
    }

    /** Records an exit the shim could not (it died first), so every later reader sees the same one. */
    void writeExit(ExitStatus exit) throws IOException {
        long ns = exit.exitedAt().getEpochSecond() * 1_000_000_000L + exit.exitedAt().getNano();
        writeAtomic(path.resolve("exit"), "code=" + exit.code() + "\nsignal=" + exit.signal() + "\nexited_at=" + ns
                + "\nreason=" + exit.reason().replace('\n', ' ') + "\noom_killed=" + (exit.oomKilled() ? 1 : 0) + "\n");
    }

    Map<String, String> readMeta() throws IOException {
        return keyValues(readOrNull("meta"));
    }

    void writeMeta(Map<String, String> meta) throws IOException {
        StringBuilder text = new StringBuilder();
        meta.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        writeAtomic(meta(), text.toString());
    }

    static void writeAtomic(Path file, String text) throws IOException {
        writeAtomic(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomic(Path file, byte[] bytes) throws IOException {
        // Not ".tmp": the shim uses that name for its own atomic writes.
        Path tmp = file.resolveSibling(file.getFileName() + ".java-" + java.util.UUID.randomUUID() + ".tmp");
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String readOrNull(String name) throws IOException {
        try {
            return Files.readString(path.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Map<String, String> keyValues(String text) {
        if (text == null) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return fields;
    }
}
