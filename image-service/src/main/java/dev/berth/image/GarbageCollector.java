package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Mark and sweep over blobs and snapshots. Roots: every image record (its manifest, config,
 * kept layers and chain IDs), every container lease, and whatever pulls in flight are writing.
 * Runs under the service's lock, so no record appears or vanishes meanwhile.
 */
final class GarbageCollector {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

    private final StoreLayout layout;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageRecords records;
    private final ContainerRootfs containers;

    GarbageCollector(StoreLayout layout, ContentStore content, SnapshotStore snapshots, ImageRecords records,
            ContainerRootfs containers) {
        this.layout = layout;
        this.content = content;
        this.snapshots = snapshots;
        this.records = records;
        this.containers = containers;
    }

    GcResult collect(Set<Digest> inFlight) throws IOException {
        Set<Digest> keepBlobs = new HashSet<>(inFlight);
        Set<Digest> keepSnapshots = new HashSet<>(inFlight);
        for (ImageRecord r : records.all()) {
            keepBlobs.add(r.idDigest());
            keepBlobs.add(Digest.parse(r.manifestDigest()));
            r.digests().forEach(n -> keepBlobs.add(Digest.parse(n.substring(n.indexOf('@') + 1))));
            r.layers().forEach(l -> keepBlobs.add(Digest.parse(l)));
            r.chainIds().forEach(c -> keepSnapshots.add(Digest.parse(c)));
        }
        keepSnapshots.addAll(containers.leasedChainIds());
        int blobs = 0;
        int snaps = 0;
        long bytes = 0;
        for (Digest d : content.list()) {
            if (!keepBlobs.contains(d)) {
                bytes += content.delete(d);
                blobs++;
            }
        }
        for (Digest c : snapshots.list()) {
            if (!keepSnapshots.contains(c) && !snapshots.busy(c)) {
                bytes += snapshots.delete(c);
                snaps++;
            }
        }
        GcResult result = new GcResult(blobs, snaps, bytes);
        if (blobs + snaps > 0) {
            LOG.info(() -> "garbage collection removed " + result);
        }
        return result;
    }

    /** On start: partial downloads and unpacks of a previous run are never resumed. */
    void cleanTmp() throws IOException {
        try (Stream<Path> leftovers = Files.list(layout.tmp())) {
            for (Path p : leftovers.toList()) {
                Trees.deleteRecursively(p);
            }
        }
    }
}
