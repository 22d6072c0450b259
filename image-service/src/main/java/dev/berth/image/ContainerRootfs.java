package dev.berth.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Containers' rootfs dirs: {@code containers/<id>/rootfs.json} is the container's lease on its
 * image's snapshots (GC keeps every chain ID a lease names, even after the image is removed),
 * next to the container's {@code upper/} and {@code work/} dirs. The lease is written after the
 * dirs exist and removed before they are deleted, so a crash never leaves a lease without dirs.
 */
final class ContainerRootfs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** The lease file's content. */
    record Lease(String containerId, String imageId, List<String> chainIds) {}

    private final StoreLayout layout;

    ContainerRootfs(StoreLayout layout) {
        this.layout = layout;
    }

    Rootfs prepare(String containerId, ImageRecord image) throws IOException {
        Path dir = dir(containerId);
        Optional<Lease> existing = lease(containerId);
        if (existing.isPresent() && !existing.get().imageId().equals(image.id())) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, "container " + containerId
                    + " already has a rootfs from image " + existing.get().imageId());
        }
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        if (existing.isEmpty()) {
            AtomicFiles.write(dir.resolve("rootfs.json"),
                    JSON.writeValueAsBytes(new Lease(containerId, image.id(), image.chainIds())));
        }
        return rootfs(containerId, image.id(), image.chainIds());
    }

    Optional<Rootfs> get(String containerId) throws IOException {
        return lease(containerId).map(l -> rootfs(containerId, l.imageId(), l.chainIds()));
    }

    void remove(String containerId) throws IOException {
        Path dir = dir(containerId);
        Files.deleteIfExists(dir.resolve("rootfs.json"));
        Trees.deleteRecursively(dir);
    }

    /** Chain IDs any container holds. */
    Set<Digest> leasedChainIds() throws IOException {
        Set<Digest> out = new HashSet<>();
        for (Lease l : leases()) {
            l.chainIds().forEach(c -> out.add(Digest.parse(c)));
        }
        return out;
    }

    /** Image IDs any container uses. */
    Set<String> leasedImages() throws IOException {
        Set<String> out = new HashSet<>();
        leases().forEach(l -> out.add(l.imageId()));
        return out;
    }

    private List<Lease> leases() throws IOException {
        List<Lease> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(layout.containers())) {
            for (Path d : dirs.toList()) {
                Path f = d.resolve("rootfs.json");
                if (Files.isRegularFile(f)) {
                    out.add(JSON.readValue(f.toFile(), Lease.class));
                }
            }
        }
        return out;
    }

    private Optional<Lease> lease(String containerId) throws IOException {
        Path f = dir(containerId).resolve("rootfs.json");
        return Files.isRegularFile(f) ? Optional.of(JSON.readValue(f.toFile(), Lease.class)) : Optional.empty();
    }

    private Rootfs rootfs(String containerId, String imageId, List<String> chainIds) {
        List<Path> lower = new ArrayList<>();
        chainIds.forEach(c -> lower.add(layout.snapshot(Digest.parse(c))));
        Collections.reverse(lower); // overlayfs wants the topmost layer first
        Path dir = dir(containerId);
        return new Rootfs(containerId, imageId, lower, dir.resolve("upper"), dir.resolve("work"));
    }

    private Path dir(String containerId) {
        if (!ID.matcher(containerId).matches()) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, "container id \"" + containerId
                    + "\" must be 1-128 letters, digits, '_', '.', '-'");
        }
        return layout.containers().resolve(containerId);
    }
}
