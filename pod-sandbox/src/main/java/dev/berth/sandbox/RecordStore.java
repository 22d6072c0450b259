package dev.berth.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records on disk, one directory per object: {@code <dir>/<id>/record.json} (a sandbox's
 * directory also holds the pod's hosts, resolv.conf and hostname files). All records are read
 * once by {@link #open} and kept in memory; every change is written through.
 *
 * <p>What recovery relies on: a record file is only ever replaced whole (temp file, fsync,
 * rename, fsync of the directory), so it is either the old or the new record, never a mix.
 * The record is the last thing RunPodSandbox or CreateContainer writes, so a directory
 * without one is the leftover of a call that did not finish (the daemon died mid-way); {@link #orphans()} lists
 * those for the caller to clean up. A record of a newer format than the store reads, or one that cannot be parsed, is skipped with a warning and its directory left alone.
 */
public final class RecordStore<R extends StoredRecord> {
    private static final System.Logger LOG = System.getLogger(RecordStore.class.getName());
    static final String RECORD = "record.json";

    private static final java.util.random.RandomGenerator TEMP_NAMES = new java.security.SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final Class<R> type;
    private final int format;
    private final Map<String, R> records = new ConcurrentHashMap<>();
    private final List<String> orphans = new ArrayList<>();

    private RecordStore(Path dir, Class<R> type, int format) {
        this.dir = dir;
        this.type = type;
        this.format = format;
    }

    /** Opens the store in {@code dir} (creating it) and loads every record of a format up to {@code format}. */
    public static <R extends StoredRecord> RecordStore<R> open(Path dir, Class<R> type, int format) {
        RecordStore<R> store = new RecordStore<>(dir, type, format);
        store.load();
        return store;
    }

    private void load() {
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path entry : entries) {
                    String id = entry.getFileName().toString();
                    Path file = entry.resolve(RECORD);
                    if (!Files.exists(file)) {
                        orphans.add(id);
                        continue;
                    }
                    try {
                        R record = JSON.readValue(Files.readAllBytes(file), type);
                        if (record.version() > format || !id.equals(record.id())) {
                            LOG.log(Level.WARNING, "skipping record {0}: format {1} or id {2} is not one this Berth reads",
                                    file, record.version(), record.id());
                            continue;
                        }
                        records.put(id, record);
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "skipping unreadable record {0}: {1}", file, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the records in " + dir, e);
        }
    }

    /** The directory of one object (its record, and for a sandbox hosts, resolv.conf...); not created by this call. */
    public Path dirOf(String id) {
        return dir.resolve(id);
    }

    /** Ids of directories found at open that had no record (a call cut short). */
    public List<String> orphans() {
        return List.copyOf(orphans);
    }

    public Optional<R> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    public Collection<R> all() {
        return List.copyOf(records.values());
    }

    /** Writes the record atomically (creating its directory) and then makes it visible. */
    public void put(R record) {
        Path recordDir = dirOf(record.id());
        try {
            Files.createDirectories(recordDir);
            writeAtomically(recordDir.resolve(RECORD), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of " + record.id() + " in " + recordDir, e);
        }
        records.put(record.id(), record);
    }

    /** Forgets the object and deletes its directory; an unknown id is a no-op. */
    public void remove(String id) {
        records.remove(id);
        FileTrees.deleteTree(dirOf(id));
        synchronized (orphans) {
            orphans.remove(id);
        }
    }

    static void writeAtomically(Path file, byte[] content) throws IOException {
        // A temp name of its own per write: two writers never share (and rename away) one temp file.
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(TEMP_NAMES.nextLong()) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
