package dev.berth.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images as plain directories: "mounting" a rootfs writes an /etc/passwd into the target. */
final class FakeImages implements ContainerImages {
    static final String IMAGE = "example.test/app:1";
    static final String ID = "sha256:" + "ab".repeat(32);

    final Map<String, ImageInfo> images = Map.of(IMAGE, new ImageInfo(ID, "example.test/app@sha256:" + "cd".repeat(32),
            "{\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/app\"],\"StopSignal\":\"SIGQUIT\"}}"));
    final List<String> calls = new ArrayList<>();

    @Override
    public Optional<ImageInfo> find(String reference) {
        return Optional.ofNullable(images.get(reference));
    }

    @Override
    public synchronized Path mountRootfs(String containerId, String imageId, Path target) {
        calls.add("mount " + containerId);
        try {
            Files.createDirectories(target.resolve("etc"));
            Files.writeString(target.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\n");
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Path mountRootfs(String containerId, String imageId, Path target, Path diffTar, long maxBytes) {
        try {
            calls.add("mount " + containerId + " with diff " + Files.readString(diffTar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mountRootfs(containerId, imageId, target);
    }

    @Override
    public synchronized void exportRootfsDiff(String containerId, java.io.OutputStream out) {
        calls.add("export " + containerId);
        try {
            out.write(("changes of " + containerId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void releaseRootfs(String containerId, Path target) {
        calls.add("release " + containerId);
    }
}
