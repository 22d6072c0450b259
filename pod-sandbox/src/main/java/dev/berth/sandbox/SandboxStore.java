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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Sandbox records on disk, one directory per sandbox: {@code <root>/sandboxes/<id>/record.json}
 * (the directory also holds the pod's hosts, resolv.conf and hostname files). All records are
 * read once by {@link #open} and kept in memory; every change is written through.
 *
 * <p>What recovery relies on: a record file is only ever replaced whole (temp file, fsync,
 * rename, fsync of the directory), so it is either the old or the new record, never a mix.
 * The record is the last thing RunPodSandbox writes, so a sandbox directory without one is
 * the leftover of a run that did not finish (the daemon died mid-way); {@link #orphans()} lists
 * those for the caller to clean up. A record of a newer format than {@link SandboxRecord#FORMAT},
 * or one that cannot be parsed, is skipped with a warning and its directory left alone.
 */
public final class SandboxStore {
    private static final System.Logger LOG = System.getLogger(SandboxStore.class.getName());
    static final String RECORD = "record.json";

    private final Path dir;
    private final ObjectMapper json;
    private final Map<String, SandboxRecord> records = new ConcurrentHashMap<>();
    private final List<String> orphans = new ArrayList<>();

    private SandboxStore(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    /** Opens the store under {@code root} (creating {@code root/sandboxes}) and loads every record. */
    public static SandboxStore open(Path root) {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        SandboxStore store = new SandboxStore(root.resolve("sandboxes"), json);
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
                        SandboxRecord record = json.readValue(Files.readAllBytes(file), SandboxRecord.class);
                        if (record.version() > SandboxRecord.FORMAT || !id.equals(record.id())) {
                            LOG.log(Level.WARNING, "skipping sandbox record {0}: format {1} or id {2} is not one this Berth reads",
                                    file, record.version(), record.id());
                            continue;
                        }
                        records.put(id, record);
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "skipping unreadable sandbox record {0}: {1}", file, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox records in " + dir, e);
        }
    }

    /** The directory of one sandbox (its record, hosts, resolv.conf...); not created by this call. */
    public Path dirOf(String id) {
        return dir.resolve(id);
    }

    /** Ids of sandbox directories found at open that had no record (a run cut short). */
    public List<String> orphans() {
        return List.copyOf(orphans);
    }

    public Optional<SandboxRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    public Collection<SandboxRecord> all() {
        return List.copyOf(records.values());
    }

    /** Writes the record atomically (creating its directory) and then makes it visible. */
    public void put(SandboxRecord record) {
        Path sandboxDir = dirOf(record.id());
        try {
            Files.createDirectories(sandboxDir);
            writeAtomically(sandboxDir.resolve(RECORD), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of sandbox " + record.id() + " in " + sandboxDir, e);
        }
        records.put(record.id(), record);
    }

    /** Forgets the sandbox and deletes its directory; an unknown id is a no-op. */
    public void remove(String id) {
        records.remove(id);
        deleteTree(dirOf(id));
        synchronized (orphans) {
            orphans.remove(id);
        }
    }

    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
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

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
