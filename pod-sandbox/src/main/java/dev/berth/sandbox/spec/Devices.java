package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.Device;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The device nodes a container gets: those the request names (a directory means every device
 * below it), and for a privileged container every device in the host's /dev, as containerd's
 * WithDevices and WithHostDevices. The request's node wins at the same container path.
 *
 * <p>Permissions ("rwm") are checked but not carried: Berth's OCI model has no device cgroup
 * rules, so the container may use any node it has.
 */
final class Devices {
    /** Skipped when walking a directory, as containerd (and runc) skip them. */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private Devices() {}

    static List<Spec.Device> forContainer(List<Device> requested, boolean privileged, Path hostDev) {
        Map<String, Spec.Device> byPath = new LinkedHashMap<>();
        for (int i = 0; i < requested.size(); i++) {
            for (Spec.Device d : requested(requested.get(i), "devices[" + i + "]")) {
                byPath.put(d.path(), d);
            }
        }
        if (privileged) {
            try {
                for (Spec.Device d : walk(hostDev, "/dev")) {
                    byPath.putIfAbsent(d.path(), d);
                }
            } catch (IOException e) {
                throw new SpecException("cannot list the host's devices in " + hostDev + " for a privileged container: "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(byPath.values());
    }

    private static List<Spec.Device> requested(Device device, String field) {
        String host = device.getHostPath();
        String where = field + " (host_path \"" + host + "\")";
        if (!device.getPermissions().matches("[rwm]*")) {
            throw new SpecException(where + ": permissions \"" + device.getPermissions() + "\" may only hold r, w and m");
        }
        if (!host.startsWith("/")) {
            throw new SpecException(where + ": host_path must be an absolute path on the node");
        }
        String containerPath = ContainerPaths.clean(device.getContainerPath().isEmpty() ? host : device.getContainerPath());
        try {
            Path real = Path.of(host).toRealPath();
            if (Files.isDirectory(real)) {
                return walk(real, containerPath);
            }
            Spec.Device node = DeviceNodes.read(real, containerPath);
            if (node == null) {
                throw new SpecException(where + ": " + real + " is not a device node; name a character or block device");
            }
            return List.of(node);
        } catch (NoSuchFileException e) {
            throw new SpecException(where + ": no such device on the node; check the device plugin or the path", e);
        } catch (IOException e) {
            throw new SpecException(where + ": cannot read the device: " + e.getMessage(), e);
        }
    }

    /** Every char and block device under {@code dir}, at the same relative path under {@code containerDir}. */
    private static List<Spec.Device> walk(Path dir, String containerDir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        entries.sort(null); // a stable order, so equal requests give equal specs
        List<Spec.Device> out = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            String containerPath = containerDir.equals("/") ? "/" + name : containerDir + "/" + name;
            try {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(name)) {
                        out.addAll(walk(entry, containerPath));
                    }
                    continue;
                }
                Spec.Device node = name.equals("console") ? null : DeviceNodes.read(entry, containerPath);
                if (node != null && !node.type().equals("p")) {
                    out.add(node);
                }
            } catch (NoSuchFileException | AccessDeniedException e) {
                // Gone since listed, or not ours to see: not a device this container can have.
            }
        }
        return out;
    }
}
