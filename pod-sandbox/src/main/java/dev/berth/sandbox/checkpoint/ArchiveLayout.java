package dev.berth.sandbox.checkpoint;

import java.util.Map;

/** The names inside a checkpoint archive (CRI-O's) and how large each may be when read back. */
public final class ArchiveLayout {
    /** CRIU's images (and the runtime's notes on them: descriptors.json, external.json); flat. */
    public static final String IMAGES = "checkpoint";
    /** The container's writable layer as an OCI layer tar. */
    public static final String ROOTFS_DIFF = "rootfs-diff.tar";
    /** {@link CheckpointConfig} as JSON. */
    public static final String CONFIG = "config.dump";
    /** The container's OCI runtime spec as it ran (for people and tools; a restore never reads it). */
    public static final String SPEC = "spec.dump";
    /** State and times at the checkpoint, and the CRIU that made it (for people and tools). */
    public static final String STATUS = "status.dump";
    /** The container's CRI log up to the checkpoint (for people and tools). */
    public static final String LOG = "container.log";
    /** CRIU's log of the dump. */
    public static final String DUMP_LOG = "dump.log";
    /** CRIU's statistics of the dump (times, pages written). */
    public static final String STATS = "stats-dump";

    static final long METADATA_LIMIT = 1 << 20;
    /** The most of a container's log an archive carries (its end). */
    public static final long LOG_LIMIT = 256L << 20;

    /** Every top-level file an archive may hold, with its size limit (the images and the diff count against the archive's). */
    static final Map<String, Long> FILES = Map.of(ROOTFS_DIFF, Long.MAX_VALUE, CONFIG, METADATA_LIMIT, SPEC, METADATA_LIMIT,
            STATUS, METADATA_LIMIT, LOG, LOG_LIMIT, DUMP_LOG, LOG_LIMIT, STATS, METADATA_LIMIT);

    /** What a restore unpacks; the rest is checked and skipped. */
    static final java.util.Set<String> EXTRACTED = java.util.Set.of(ROOTFS_DIFF, CONFIG);

    private ArchiveLayout() {}
}
