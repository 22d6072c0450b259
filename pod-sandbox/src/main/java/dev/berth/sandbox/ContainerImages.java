package dev.berth.sandbox;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The images containers run, as pod-sandbox needs them: find one, give a container its own
 * rootfs over it, take that rootfs away again. {@link StoreImages} is the real one.
 */
public interface ContainerImages {

    /** An image found by reference. */
    record ImageInfo(String id, String ref, String configJson) {}

    /** The image a reference (tag, digest reference or id) names, or empty. */
    Optional<ImageInfo> find(String reference);

    /**
     * Makes the container's writable layer over the image and mounts the rootfs on {@code target};
     * returns the writable layer's directory (what the container's writes cost, for stats).
     */
    Path mountRootfs(String containerId, String imageId, Path target);

    /** Unmounts {@code target} when mounted and drops the container's layer; unknown ids and targets are fine. */
    void releaseRootfs(String containerId, Path target);

    /**
     * As {@link #mountRootfs}, with a checkpoint's writable layer (a layer tar from an untrusted
     * archive, at most {@code maxBytes}) unpacked into the new layer under the image layers' rules
     * before the mount; a broken rule is {@link SandboxException.Kind#INVALID_ARGUMENT}.
     */
    default Path mountRootfs(String containerId, String imageId, Path target, Path diffTar, long maxBytes) {
        throw new UnsupportedOperationException("this image store cannot restore checkpoints");
    }

    /** Writes the container's writable layer to {@code out} as a layer tar (for a checkpoint). */
    default void exportRootfsDiff(String containerId, java.io.OutputStream out) {
        throw new UnsupportedOperationException("this image store cannot checkpoint containers");
    }

    /** No images at all: a node that only runs sandboxes (tests of sandbox logic). */
    ContainerImages NONE = new ContainerImages() {
        @Override
        public Optional<ImageInfo> find(String reference) {
            return Optional.empty();
        }

        @Override
        public Path mountRootfs(String containerId, String imageId, Path target) {
            throw new IllegalStateException("no image store");
        }

        @Override
        public void releaseRootfs(String containerId, Path target) {}
    };
}
