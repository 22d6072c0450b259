package dev.berth.image;

import java.nio.file.Path;

/** What the image store takes on disk (CRI's ImageFsInfo). */
public record FsUsage(Path mountpoint, long usedBytes, long inodesUsed, long timestampNanos) {}
