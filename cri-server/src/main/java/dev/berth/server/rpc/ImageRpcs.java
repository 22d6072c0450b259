package dev.berth.server.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.api.v1.AuthConfig;
import dev.berth.cri.api.v1.FilesystemIdentifier;
import dev.berth.cri.api.v1.FilesystemUsage;
import dev.berth.cri.api.v1.ImageFilter;
import dev.berth.cri.api.v1.ImageFsInfoRequest;
import dev.berth.cri.api.v1.ImageFsInfoResponse;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.ImageStatusRequest;
import dev.berth.cri.api.v1.ImageStatusResponse;
import dev.berth.cri.api.v1.Int64Value;
import dev.berth.cri.api.v1.ListImagesRequest;
import dev.berth.cri.api.v1.ListImagesResponse;
import dev.berth.cri.api.v1.PullImageRequest;
import dev.berth.cri.api.v1.PullImageResponse;
import dev.berth.cri.api.v1.RemoveImageRequest;
import dev.berth.cri.api.v1.RemoveImageResponse;
import dev.berth.cri.api.v1.StreamImagesRequest;
import dev.berth.cri.api.v1.StreamImagesResponse;
import dev.berth.cri.api.v1.UInt64Value;
import dev.berth.image.FsUsage;
import dev.berth.image.Image;
import dev.berth.image.ImageException;
import dev.berth.image.ImageService;
import dev.berth.image.PullOptions;
import dev.berth.image.RegistryAuth;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * CRI PullImage, ImageStatus, ListImages and StreamImages, RemoveImage and ImageFsInfo: protobuf
 * to and from the image service. Images are named as the image service names them (ID, unique ID
 * prefix, tag or digest reference); the CRI image ID is the config digest.
 *
 * <p>The configured sandbox image is the one image kept pinned, so kubelet's image GC leaves it
 * alone: {@link #pinSandboxImage} at start, and PullImage when it pulls that image.
 */
public final class ImageRpcs {
    private static final Logger LOG = Logger.getLogger(ImageRpcs.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageService images;
    private final String sandboxImage;

    /** @param sandboxImage the reference to keep pinned; empty pins nothing */
    public ImageRpcs(ImageService images, String sandboxImage) {
        this.images = images;
        this.sandboxImage = sandboxImage;
    }

    /**
     * Pulls {@code image.image}; the answer's image_ref is the image ID. {@code sandbox_config}
     * is accepted and ignored: every pod gets the same linux/amd64 image.
     */
    public PullImageResponse pullImage(PullImageRequest request) {
        String reference = required(request.getImage(), "PullImage", "the reference to pull, e.g. busybox:1.36");
        PullOptions options = request.hasAuth() ? auth(request.getAuth()) : PullOptions.ANONYMOUS;
        Image image = images.pull(reference, options);
        if (!image.pinned() && isSandboxImage(image)) {
            pin(image, true);
        }
        return PullImageResponse.newBuilder().setImageRef(image.id()).build();
    }

    /** Not found is an empty answer, not an error (CRI: "If the image is not present, returns a response with ImageStatusResponse.Image set to nil"). */
    public ImageStatusResponse imageStatus(ImageStatusRequest request) {
        String name = required(request.getImage(), "ImageStatus", "an image ID or reference");
        Optional<Image> image = images.status(name);
        if (image.isEmpty()) {
            return ImageStatusResponse.getDefaultInstance();
        }
        ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder().setImage(toCri(image.get()));
        if (request.getVerbose()) {
            response.putInfo("info", verboseInfo(image.get()));
        }
        return response.build();
    }

    public ListImagesResponse listImages(ListImagesRequest request) {
        return ListImagesResponse.newBuilder().addAllImages(list(request.getFilter())).build();
    }

    public void streamImages(StreamImagesRequest request, StreamObserver<StreamImagesResponse> responses) {
        ListStream.send(list(request.getFilter()), responses, batch -> StreamImagesResponse.newBuilder().addAllImages(batch).build());
    }

    /** All images, or the one {@code filter.image.image} names: ListImages and StreamImages. */
    private List<dev.berth.cri.api.v1.Image> list(ImageFilter filter) {
        String name = filter.getImage().getImage();
        return images.list(name.isEmpty() ? Optional.empty() : Optional.of(name)).stream().map(ImageRpcs::toCri).toList();
    }

    /** Idempotent: removing an image that is not there succeeds. */
    public RemoveImageResponse removeImage(RemoveImageRequest request) {
        images.remove(required(request.getImage(), "RemoveImage", "an image ID or reference"));
        return RemoveImageResponse.getDefaultInstance();
    }

    /**
     * The image store's usage. Containers' writable layers live in the same store, so
     * container_filesystems reports the same filesystem (kubelet then sees no split image fs).
     */
    public ImageFsInfoResponse imageFsInfo(ImageFsInfoRequest request) {
        FsUsage usage = images.fsUsage();
        FilesystemUsage fs = FilesystemUsage.newBuilder()
                .setTimestamp(usage.timestampNanos())
                .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(usage.mountpoint().toString()))
                .setUsedBytes(UInt64Value.newBuilder().setValue(usage.usedBytes()))
                .setInodesUsed(UInt64Value.newBuilder().setValue(usage.inodesUsed()))
                .build();
        return ImageFsInfoResponse.newBuilder().addImageFilesystems(fs).addContainerFilesystems(fs).build();
    }

    /**
     * Pins the sandbox image when it is stored, and unpins any other image (pinning is Berth's
     * alone, so an image pinned under an earlier {@code sandbox_image} is released).
     */
    public void pinSandboxImage() {
        Optional<String> keep = sandboxImage.isEmpty() ? Optional.empty() : images.status(sandboxImage).map(Image::id);
        for (Image image : images.list(Optional.empty())) {
            boolean pin = keep.isPresent() && keep.get().equals(image.id());
            if (image.pinned() != pin) {
                pin(image, pin);
            }
        }
    }

    private boolean isSandboxImage(Image image) {
        return !sandboxImage.isEmpty() && images.status(sandboxImage).map(Image::id).filter(image.id()::equals).isPresent();
    }

    private void pin(Image image, boolean pin) {
        try {
            images.pin(image.id(), pin);
            LOG.info(() -> (pin ? "pinned sandbox image " + sandboxImage + " (" : "unpinned image (") + image.id() + ")");
        } catch (ImageException e) {
            if (e.kind() != ImageException.Kind.NOT_FOUND) {
                throw e;
            }
            // removed meanwhile: nothing to pin
        }
    }

    static dev.berth.cri.api.v1.Image toCri(Image image) {
        dev.berth.cri.api.v1.Image.Builder cri = dev.berth.cri.api.v1.Image.newBuilder()
                .setId(image.id())
                .addAllRepoTags(image.repoTags())
                .addAllRepoDigests(image.repoDigests())
                .setSize(image.size())
                .setPinned(image.pinned())
                // the ID, not the name asked for: status by ID, tag or digest must answer the same
                .setSpec(ImageSpec.newBuilder().setImage(image.id()));
        image.uid().ifPresent(uid -> cri.setUid(Int64Value.newBuilder().setValue(uid)));
        image.username().ifPresent(cri::setUsername);
        return cri.build();
    }

    private static PullOptions auth(AuthConfig auth) {
        RegistryAuth registryAuth = new RegistryAuth(auth.getUsername(), auth.getPassword(), auth.getAuth(),
                auth.getIdentityToken(), auth.getRegistryToken());
        boolean empty = registryAuth.username().isEmpty() && registryAuth.auth().isEmpty()
                && registryAuth.identityToken().isEmpty() && registryAuth.registryToken().isEmpty();
        return empty ? PullOptions.ANONYMOUS : PullOptions.withAuth(registryAuth);
    }

    /** Like containerd's verbose ImageStatus: one "info" entry, a JSON document holding the image config. */
    private static String verboseInfo(Image image) {
        ObjectNode info = JSON.createObjectNode();
        info.put("id", image.id());
        info.put("user", image.user());
        try {
            JsonNode config = JSON.readTree(image.configJson());
            info.set("imageSpec", config);
            return JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new ImageException(ImageException.Kind.INTERNAL, "config of image " + image.id() + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String required(ImageSpec spec, String rpc, String what) {
        String name = spec.getImage();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(rpc + " needs image.image: " + what);
        }
        return name;
    }
}
