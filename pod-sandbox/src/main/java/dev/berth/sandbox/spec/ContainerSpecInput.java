package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.ContainerConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link ContainerSpecs#build} needs.
 *
 * @param rootfs the container's prepared root filesystem (its /etc/passwd and /etc/group name the users)
 * @param targetPid for PID namespace mode TARGET: the target container's init pid (0 = not known)
 */
public record ContainerSpecInput(String containerId, ContainerConfig config, SandboxView sandbox, ImageDefaults image,
        Path rootfs, String imageName, long targetPid) {
    public ContainerSpecInput {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(rootfs, "rootfs");
        image = Objects.requireNonNullElse(image, ImageDefaults.NONE);
        imageName = Objects.requireNonNullElse(imageName, "");
    }

    /** For containers that do not target another container's PID namespace. */
    public ContainerSpecInput(String containerId, ContainerConfig config, SandboxView sandbox, ImageDefaults image, Path rootfs,
            String imageName) {
        this(containerId, config, sandbox, image, rootfs, imageName, 0);
    }
}
