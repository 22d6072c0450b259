package dev.berth.sandbox;

import dev.berth.image.Image;
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
    public void releaseRootfs(String containerId, Path target) {
        if (Files.isDirectory(target)) {
            Mounts.unmountAll(sys, target);
        }
        images.removeRootfs(containerId);
    }
}
