package dev.berth.sandbox;

import dev.berth.image.Image;
import dev.berth.image.ImageException;
import dev.berth.image.ImageService;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link ContainerImages} over Berth's image store: overlay rootfs mounted in the daemon's mount namespace. */
public final class StoreImages implements ContainerImages {
    private final ImageService images;
    private final Syscalls sys;

    public StoreImages(ImageService images, Syscalls sys) {
        this.images = images;
        this.sys = sys;
    }

    @Override
    public Optional<ImageInfo> find(String reference) {
        return images.status(reference).map(StoreImages::info);
    }

    private static ImageInfo info(Image image) {
        String ref = image.repoDigests().isEmpty() ? image.id() : image.repoDigests().getFirst();
        return new ImageInfo(image.id(), ref, image.configJson());
    }

    @Override
    public Path mountRootfs(String containerId, String imageId, Path target) {
        Path upper = images.prepareRootfs(containerId, imageId).upperDir();
        images.mountRootfs(containerId, target);
        return upper;
    }

    @Override
    public Path mountRootfs(String containerId, String imageId, Path target, Path diffTar, long maxBytes) {
        Path upper = images.prepareRootfs(containerId, imageId).upperDir();
        try (java.io.InputStream diff = new java.io.BufferedInputStream(Files.newInputStream(diffTar), 1 << 16)) {
            images.applyRootfsDiff(containerId, diff, maxBytes, "the checkpoint's " + diffTar.getFileName());
        } catch (ImageException e) {
            throw e.kind() == ImageException.Kind.BAD_CONTENT ? SandboxException.invalid(e.getMessage()) : e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + diffTar, e);
        }
        images.mountRootfs(containerId, target);
        return upper;
    }

    @Override
    public void exportRootfsDiff(String containerId, java.io.OutputStream out) {
        images.exportRootfsDiff(containerId, out);
    }

    @Override
    public void releaseRootfs(String containerId, Path target) {
        if (Files.isDirectory(target)) {
            Mounts.unmountAll(sys, target);
        }
        images.removeRootfs(containerId);
    }
}
