package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A fake /sys/fs/cgroup in a temporary directory: its mountinfo, its kernel, and the sleeps the managers asked for. */
final class FakeHost {
    final Path root;
    final FakeKernel kernel;
    final List<String> mountinfo = new ArrayList<>();
    final List<Duration> sleeps = new ArrayList<>();
    private int mountId = 30;

    private FakeHost(Path root) {
        this.root = root;
        this.kernel = new FakeKernel(root);
        mountinfo.add("25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:5 - tmpfs tmpfs ro,mode=755");
    }

    /** This build machine's layout: v1 controllers one per mount, name=systemd, cgroup2 at unified with hugetlb. */
    static FakeHost hybrid(Path root) {
        FakeHost host = new FakeHost(root);
        for (String controller : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids")) {
            host.v1(controller, controller);
        }
        host.v1("systemd", "xattr,name=systemd");
        return host.v2("unified", "hugetlb");
    }

    /** Only the tmpfs at /sys/fs/cgroup: add hierarchies with {@link #v1} and {@link #v2}. */
    static FakeHost empty(Path root) {
        return new FakeHost(root);
    }

    /** Only cgroup2, at /sys/fs/cgroup, offering {@code controllers}. */
    static FakeHost unified(Path root, String controllers) {
        FakeHost host = new FakeHost(root);
        host.mountinfo.clear();
        return host.v2("", controllers);
    }

    /** Only v1, cpu and cpuacct co-mounted, hugetlb on v1 too. */
    static FakeHost legacy(Path root) {
        FakeHost host = new FakeHost(root);
        host.v1("cpu,cpuacct", "cpu,cpuacct");
        for (String controller : List.of("cpuset", "memory", "pids", "hugetlb")) {
            host.v1(controller, controller);
        }
        return host;
    }

    FakeHost v1(String dir, String options) {
        Set<String> controllers = new LinkedHashSet<>(Arrays.asList(options.split(",")));
        controllers.removeIf(o -> o.equals("xattr") || o.startsWith("name="));
        try {
            kernel.mountV1(root.resolve(dir), controllers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mountinfo.add(mountId++ + " 25 0:" + mountId + " / /sys/fs/cgroup/" + dir + " rw,nosuid - cgroup cgroup rw," + options);
        return this;
    }

    FakeHost v2(String dir, String controllers) {
        Path mount = dir.isEmpty() ? root : root.resolve(dir);
        try {
            kernel.mountV2(mount, CgroupLayout.words(controllers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String mountPoint = dir.isEmpty() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/" + dir;
        mountinfo.add(mountId++ + " 25 0:" + mountId + " / " + mountPoint + " rw,nosuid - cgroup2 cgroup2 rw,nsdelegate");
        return this;
    }

    Cgroups cgroups() {
        return CgroupsFactory.forRoot(root, mountinfo, kernel, sleeps::add);
    }

    /** The systemd driver on this tree, its calls to systemd going to {@code systemd}. */
    SystemdCgroups systemd(SystemdManager systemd) {
        return new SystemdCgroups(CgroupsFactory.forRoot(root, mountinfo, kernel, sleeps::add), systemd);
    }

    Path dir(String relative) {
        return root.resolve(relative);
    }

    /** A control file's content, stripped; "<missing>" when there is no such file. */
    String read(String relative) {
        try {
            Path file = root.resolve(relative);
            return Files.exists(file) ? Files.readString(file).strip() : "<missing>";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String relative, String value) {
        try {
            Files.writeString(root.resolve(relative), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
