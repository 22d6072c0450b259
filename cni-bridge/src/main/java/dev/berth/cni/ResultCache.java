package dev.berth.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One JSON file per attachment ({@code <containerId>-<ifName>.json}) holding what DEL needs
 * after a daemon restart: the attachment parameters, the network config used, and the ADD
 * result (null while ADD is under way).
 *
 * <p>Recovery relies on: files are only ever replaced whole (temp file, fsync, rename, fsync of
 * the dir, {@link AtomicFile}), so a file that exists is complete; a dot-named temp file left by a crash is
 * garbage and ignored; an entry exists from before ADD starts until DEL succeeded, so every
 * attachment that may hold resources has one.
 */
final class ResultCache {
    static final int FORMAT = 1;

    /** A cached attachment. {@code result} is null when ADD did not finish. */
    record Entry(int format, String containerId, String ifName, String netns, String cniArgs,
            ObjectNode capabilityArgs, String configSource, ObjectNode config, JsonNode result) {
        Entry {
            result = result == null || result.isNull() ? null : result; // JSON null reads as NullNode
        }

        Attachment attachment() {
            return new Attachment(containerId, ifName, netns, cniArgs, capabilityArgs);
        }

        Entry withResult(JsonNode value) {
            return new Entry(format, containerId, ifName, netns, cniArgs, capabilityArgs, configSource, config, value);
        }
    }

    private final Path dir;
    private final ObjectMapper json;

    ResultCache(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    Path dir() {
        return dir;
    }

    void write(Entry entry) {
        Path target = file(entry.containerId(), entry.ifName());
        try {
            AtomicFile.write(target, json.writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CNI result cache " + target + ": " + e.getMessage(), e);
        }
    }

    /** The entry for an attachment; empty when there is none. A corrupt file is an {@link UncheckedIOException}. */
    Optional<Entry> read(String containerId, String ifName) {
        Path file = file(containerId, ifName);
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), Entry.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("CNI result cache " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    void delete(String containerId, String ifName) {
        try {
            Files.deleteIfExists(file(containerId, ifName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete CNI result cache " + file(containerId, ifName) + ": " + e.getMessage(), e);
        }
    }

    /** Every readable entry; unreadable files are skipped (they are reported when their pod is torn down). */
    List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path f : files) {
                try {
                    entries.add(json.readValue(Files.readAllBytes(f), Entry.class));
                } catch (IOException unreadable) {
                    // skipped, see above
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list CNI result cache " + dir + ": " + e.getMessage(), e);
        }
        return entries;
    }

    private Path file(String containerId, String ifName) {
        return dir.resolve(containerId + "-" + ifName + ".json");
    }
}
