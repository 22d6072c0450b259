package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Blobs by digest; a blob is only ever visible complete and verified. */
final class ContentStore {
    private final StoreLayout layout;

    ContentStore(StoreLayout layout) {
        this.layout = layout;
    }

    /** Stores verified bytes (the caller checked the digest). */
    void put(Digest d, byte[] data) throws IOException {
        Path target = layout.blob(d);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        AtomicFiles.write(target, data);
    }

    /** Moves a finished, verified temp file into place. */
    void commit(Digest d, Path verifiedTemp) throws IOException {
        Path target = layout.blob(d);
        Files.createDirectories(target.getParent());
        AtomicFiles.commit(verifiedTemp, target);
    }

    Optional<byte[]> read(Digest d) throws IOException {
        Path p = layout.blob(d);
        return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    }

    boolean has(Digest d) {
        return Files.isRegularFile(layout.blob(d));
    }

    List<Digest> list() throws IOException {
        List<Digest> out = new ArrayList<>();
        try (Stream<Path> algs = Files.list(layout.blobs())) {
            for (Path alg : algs.toList()) {
                try (Stream<Path> files = Files.list(alg)) {
                    for (Path f : files.toList()) {
                        try {
                            out.add(new Digest(alg.getFileName().toString(), f.getFileName().toString()));
                        } catch (ImageException e) {
                            // not a blob (a stray temp file): GC removes it with the tmp dir rule
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Deletes a blob; returns the bytes freed. */
    long delete(Digest d) throws IOException {
        Path p = layout.blob(d);
        long size = Files.exists(p) ? Files.size(p) : 0;
        Files.deleteIfExists(p);
        return size;
    }
}
