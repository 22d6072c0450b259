package dev.berth.image;

/** What one garbage collection removed. */
public record GcResult(int blobsRemoved, int snapshotsRemoved, long bytesFreed) {}
