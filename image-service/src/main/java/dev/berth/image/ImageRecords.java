package dev.berth.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The image records, in memory and on disk. Recovery assumes: every file in {@code images/} was
 * written whole by {@link AtomicFiles} (so it parses, or it is not ours and is skipped with a
 * warning), and the blobs and snapshots it names were complete before it was written.
 * Callers serialize changes (the service's lock); reads use a snapshot of the map.
 */
final class ImageRecords {
    private static final Logger LOG = Logger.getLogger(ImageRecords.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StoreLayout layout;
    private volatile Map<String, ImageRecord> byId = Map.of();

    ImageRecords(StoreLayout layout) {
        this.layout = layout;
    }

    void load() throws IOException {
        Map<String, ImageRecord> loaded = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(layout.images())) {
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().endsWith(".json")) {
                    Files.deleteIfExists(f); // a temp file of an interrupted write
                    continue;
                }
                try {
                    ImageRecord r = JSON.readValue(f.toFile(), ImageRecord.class);
                    loaded.put(r.id(), r);
                } catch (IOException e) {
                    LOG.warning("skipping unreadable image record " + f + ": " + e.getMessage());
                }
            }
        }
        byId = Map.copyOf(loaded);
    }

    List<ImageRecord> all() {
        return new ArrayList<>(byId.values());
    }

    Optional<ImageRecord> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The record holding {@code name} (a tag or digest reference). */
    Optional<ImageRecord> byName(String name) {
        return byId.values().stream().filter(r -> r.names().contains(name)).findFirst();
    }

    /** Records whose ID hex starts with {@code prefix} (as docker and crictl accept short IDs). */
    List<ImageRecord> byIdPrefix(String prefix) {
        return byId.values().stream().filter(r -> r.idDigest().hex().startsWith(prefix)).toList();
    }

    void put(ImageRecord r) throws IOException {
        AtomicFiles.write(file(r.id()), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        Map<String, ImageRecord> next = new LinkedHashMap<>(byId);
        next.put(r.id(), r);
        byId = Map.copyOf(next);
    }

    void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
        AtomicFiles.fsyncDir(layout.images());
        Map<String, ImageRecord> next = new LinkedHashMap<>(byId);
        next.remove(id);
        byId = Map.copyOf(next);
    }

    private Path file(String id) {
        return layout.images().resolve(Digest.parse(id).hex() + ".json");
    }
}
