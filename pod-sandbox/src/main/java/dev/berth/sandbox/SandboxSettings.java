package dev.berth.sandbox;

import dev.berth.sandbox.spec.CgroupsPathStyle;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Where sandboxes live and what they may ask for.
 *
 * @param root persistent dir: records and /etc files under {@code root/sandboxes/<id>}
 * @param state volatile dir: pause bundles under {@code state/sandboxes/<id>}
 * @param runtimeHandlers the CRI runtime handlers served ("" is kubelet's default)
 * @param hostEtc the node's /etc, whose hosts and resolv.conf pods may inherit
 * @param cgroupsPaths how cgroupsPath is written for the cgroup driver the runtime uses
 * @param maxCheckpointBytes the most a checkpoint archive to restore from may hold, its files added up
 */
public record SandboxSettings(Path root, Path state, Set<String> runtimeHandlers, Path hostEtc, CgroupsPathStyle cgroupsPaths,
        long maxCheckpointBytes) {
    public static final Set<String> DEFAULT_HANDLERS = Set.of("", "berth");
    /** The most a checkpoint archive to restore may hold, its files added up (CRIU's images are the container's memory). */
    public static final long DEFAULT_MAX_CHECKPOINT_BYTES = 16L << 30;

    public SandboxSettings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(state, "state");
        runtimeHandlers = Set.copyOf(Objects.requireNonNullElse(runtimeHandlers, DEFAULT_HANDLERS));
        hostEtc = Objects.requireNonNullElse(hostEtc, Path.of("/etc"));
        cgroupsPaths = Objects.requireNonNullElse(cgroupsPaths, CgroupsPathStyle.CGROUPFS);
        if (maxCheckpointBytes <= 0) {
            throw new IllegalArgumentException("maxCheckpointBytes must be positive");
        }
    }

    public SandboxSettings(Path root, Path state, Set<String> runtimeHandlers, Path hostEtc, CgroupsPathStyle cgroupsPaths) {
        this(root, state, runtimeHandlers, hostEtc, cgroupsPaths, DEFAULT_MAX_CHECKPOINT_BYTES);
    }

    /** With the cgroupfs driver. */
    public SandboxSettings(Path root, Path state, Set<String> runtimeHandlers, Path hostEtc) {
        this(root, state, runtimeHandlers, hostEtc, CgroupsPathStyle.CGROUPFS);
    }

    public SandboxSettings withCgroupsPaths(CgroupsPathStyle value) {
        return new SandboxSettings(root, state, runtimeHandlers, hostEtc, value, maxCheckpointBytes);
    }

    public SandboxSettings withMaxCheckpointBytes(long value) {
        return new SandboxSettings(root, state, runtimeHandlers, hostEtc, cgroupsPaths, value);
    }

    public static SandboxSettings defaults(Path root, Path state) {
        return new SandboxSettings(root, state, null, null);
    }
}
