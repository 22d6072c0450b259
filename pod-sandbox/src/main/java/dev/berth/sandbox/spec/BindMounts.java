package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.Mount;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A CRI mount as an OCI bind mount. The host path must exist (the CRI asks runtimes to report
 * a missing one) and its symlinks are resolved on the host, as the CRI asks. Propagation maps
 * to rprivate, rslave or rshared; the last two also need the rootfs to propagate.
 */
final class BindMounts {
    /** One converted mount; {@code rootfsPropagation} is null, "rslave" or "rshared". */
    record Bind(Spec.Mount mount, String rootfsPropagation) {}

    private BindMounts() {}

    /** {@code field} names the mount in errors, e.g. {@code mounts[2]}. */
    static Bind of(Mount m, String field) {
        String where = field + " (container_path \"" + m.getContainerPath() + "\")";
        if (m.hasImage()) {
            throw new SpecException(where + ": image volumes are not supported by Berth; use another volume type");
        }
        if (m.getContainerPath().isEmpty()) {
            throw new SpecException(field + ": container_path is empty; set the path inside the container");
        }
        if (m.getUidMappingsCount() > 0 || m.getGidMappingsCount() > 0) {
            throw new SpecException(where + ": ID-mapped mounts are not supported by Berth (user namespaces are not); "
                    + "remove uidMappings/gidMappings");
        }
        if (m.getRecursiveReadOnly()) {
            throw new SpecException(where + ": recursive read-only mounts are not supported by Berth; "
                    + "set recursiveReadOnly to Disabled or IfPossible");
        }
        String propagation = switch (m.getPropagation()) {
            case PROPAGATION_HOST_TO_CONTAINER -> "rslave";
            case PROPAGATION_BIDIRECTIONAL -> "rshared";
            default -> "rprivate"; // PRIVATE, and what containerd does for an unknown value
        };
        String source = hostPath(m, where);
        List<String> options = List.of("rbind", propagation, m.getReadonly() ? "ro" : "rw");
        // selinux_relabel is accepted and ignored: Berth sets no SELinux labels.
        return new Bind(new Spec.Mount(ContainerPaths.clean(m.getContainerPath()), "bind", source, options),
                propagation.equals("rprivate") ? null : propagation);
    }

    private static String hostPath(Mount m, String where) {
        String host = m.getHostPath();
        if (host.isEmpty() || !host.startsWith("/")) {
            throw new SpecException(where + ": host_path \"" + host + "\" must be an absolute path on the node");
        }
        try {
            return Path.of(host).toRealPath().toString();
        } catch (NoSuchFileException e) {
            throw new SpecException(where + ": host_path " + host + " does not exist on the node; create it "
                    + "(for a hostPath volume, type DirectoryOrCreate does)", e);
        } catch (IOException e) {
            throw new SpecException(where + ": cannot resolve host_path " + host + ": " + e.getMessage(), e);
        }
    }
}
