package dev.berth.cni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shell-script CNI plugins in a temp bin dir. Each call records its CNI_* environment and its
 * stdin as {@code <log>/<seq>-<type>-<command>.env|.json}, then runs the script body.
 */
final class FakePlugins {
    final Path bin;
    final Path log;

    FakePlugins(Path dir) throws IOException {
        this.bin = Files.createDirectories(dir.resolve("bin"));
        this.log = Files.createDirectories(dir.resolve("log"));
    }

    /** A plugin that records its call and runs {@code body} (sh) afterwards; stdin is in $stdin. */
    FakePlugins add(String type, String body) throws IOException {
        String script = "#!/bin/sh\n"
                + "stdin=$(cat)\n"
                + "n=$(printf %03d $(ls '" + log + "' | grep -c '\\.env$'))\n"
                + "env | grep '^CNI_' | sort > '" + log + "'/$n-" + type + "-$CNI_COMMAND.env\n"
                + "printf '%s' \"$stdin\" > '" + log + "'/$n-" + type + "-$CNI_COMMAND.json\n"
                + body + "\n";
        Path file = bin.resolve(type);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /** A plugin that answers ADD with one IP and echoes nothing for other commands. */
    FakePlugins addInterfacePlugin(String type, String address) throws IOException {
        return add(type, "[ \"$CNI_COMMAND\" = ADD ] && echo '{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"'$CNI_NETNS'\"}],"
                + "\"ips\":[{\"address\":\"" + address + "\",\"interface\":0}]}'\nexit 0");
    }

    /** A chained plugin that passes prevResult through unchanged (by re-printing a fixed result). */
    FakePlugins addPassThrough(String type, String result) throws IOException {
        return add(type, "[ \"$CNI_COMMAND\" = ADD ] && echo '" + result + "'\nexit 0");
    }

    /** Recorded calls in order, as "type COMMAND". */
    List<String> calls() throws IOException {
        List<String> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(log)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".env")).sorted()
                    .forEach(n -> {
                        String[] parts = n.substring(4, n.length() - 4).split("-");
                        calls.add(String.join("-", List.of(parts).subList(0, parts.length - 1)) + " " + parts[parts.length - 1]);
                    });
        }
        return calls;
    }

    /** The environment and stdin of call number {@code index} (0-based). */
    String env(int index) throws IOException {
        return Files.readString(file(index, ".env"));
    }

    String stdin(int index) throws IOException {
        return Files.readString(file(index, ".json"));
    }

    private Path file(int index, String suffix) throws IOException {
        String prefix = String.format("%03d-", index);
        try (Stream<Path> files = Files.list(log)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(suffix))
                    .findFirst().orElseThrow(() -> new AssertionError("no call " + index + " recorded in " + log));
        }
    }

    void clearLog() throws IOException {
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
