package dev.berth.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Berth's images: pulling from registries, the content store, and the overlay snapshots a
 * container's rootfs is made of. Knows nothing of CRI; {@code cri-server} adapts.
 *
 * <p>Images are named by any of: their ID (the config digest, {@code sha256:...}, or a unique
 * prefix of its hex), a tag reference ({@code busybox}, {@code registry.k8s.io/pause:3.10}) or a
 * digest reference ({@code repo@sha256:...}). Every method is safe to call from many threads.
 * Failures are {@link ImageException}s whose {@link ImageException.Kind} says what went wrong.
 */
public interface ImageService extends AutoCloseable {

    /** Pulls {@code reference} (linux/amd64 from indexes) and returns the stored image. */
    Image pull(String reference, PullOptions options);

    /** The image {@code reference} names, or empty when there is none. */
    Optional<Image> status(String reference);

    /** All images, or those {@code filter} (a reference or ID) names when present. */
    List<Image> list(Optional<String> filter);

    /**
     * Removes the image {@code reference} names (by ID, tag or digest) with all its names, as
     * containerd's CRI plugin does; blobs and snapshots no other image or container uses are then
     * collected. Removing an unknown image succeeds (CRI's RemoveImage is idempotent).
     */
    void remove(String reference);

    /** Pins or unpins an image (a pinned image is never garbage-collected, e.g. the sandbox image). */
    void pin(String reference, boolean pinned);

    /** Bytes and inodes the store uses. */
    FsUsage fsUsage();

    /**
     * Makes a container's writable layer over its image: the returned {@link Rootfs} holds the
     * overlay options; the image stays in use (not collected) until {@link #removeRootfs}.
     * Idempotent for the same container and image.
     */
    Rootfs prepareRootfs(String containerId, String imageReference);

    /** Mounts the prepared rootfs of {@code containerId} on {@code target} in this mount namespace. */
    void mountRootfs(String containerId, Path target);

    /**
     * Writes the container's writable layer (its changes to the image) to {@code out} as an OCI
     * layer tar: deletions as {@code .wh.} whiteouts, opaque dirs with {@code .wh..wh..opq}.
     * {@code out} is not closed.
     */
    void exportRootfsDiff(String containerId, java.io.OutputStream out);

    /**
     * Unpacks an OCI layer tar (untrusted: a checkpoint archive's) into the prepared, not yet
     * mounted, writable layer of {@code containerId}, under the rules layers are unpacked by
     * (no path leaving the layer, no device nodes), reading at most {@code maxBytes}; a broken
     * rule is {@link ImageException.Kind#BAD_CONTENT} naming {@code what} and the entry.
     */
    void applyRootfsDiff(String containerId, java.io.InputStream tar, long maxBytes, String what);

    /** Drops the container's upper/work dirs and its hold on the image; unknown ids are fine. */
    void removeRootfs(String containerId);

    /** Deletes blobs and snapshots no image or container uses; runs after removals and on start too. */
    GcResult collectGarbage();

    @Override
    void close();
}
