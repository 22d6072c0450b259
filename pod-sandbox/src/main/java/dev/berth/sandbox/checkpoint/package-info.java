/**
 * Checkpoint archives, the files CheckpointContainer writes and a CreateContainer from a
 * checkpoint reads, in CRI-O's layout: {@code checkpoint/} (CRIU's images), {@code rootfs-diff.tar}
 * (the writable layer as a layer tar), {@code config.dump} ({@link dev.berth.sandbox.checkpoint.CheckpointConfig}),
 * {@code spec.dump} (the OCI spec), {@code status.dump}, {@code container.log} and CRIU's {@code dump.log} and {@code stats-dump}.
 * {@link dev.berth.sandbox.checkpoint.ArchiveWriter} packs one; {@link dev.berth.sandbox.checkpoint.ArchiveReader}
 * unpacks one from outside, which is untrusted input: every entry and field is checked there.
 */
package dev.berth.sandbox.checkpoint;
