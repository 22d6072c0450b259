package dev.berth.server.daemon;

import dev.berth.runtime.cgroup.CgroupLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's cgroup files as a test reads them: a controller's file of a cgroup, and a cgroup's directories in every hierarchy. */
final class HostCgroups {
    private final CgroupLayout layout;
    private final List<Path> mounts;

    private HostCgroups(CgroupLayout layout, List<Path> mounts) {
        this.layout = layout;
        this.mounts = mounts;
    }

    /** Every cgroup and cgroup2 mount in /proc/self/mountinfo, the named (name=systemd) ones too. */
    static HostCgroups detect() throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] parts = line.split(" - ");
            if (parts.length == 2 && (parts[1].startsWith("cgroup ") || parts[1].startsWith("cgroup2 "))) {
                mounts.add(Path.of(parts[0].split(" ")[4]));
            }
        }
        return new HostCgroups(CgroupLayout.detect(), mounts);
    }

    /** The directory of {@code cgroupsPath} where {@code controller} is (its v1 hierarchy, else cgroup v2). */
    Path dir(String controller, String cgroupsPath) {
        Path root = layout.v1Controllers().getOrDefault(controller, layout.unifiedMount());
        return root.resolve(cgroupsPath.replaceFirst("^/+", ""));
    }

    String read(String controller, String cgroupsPath, String file) {
        try {
            return Files.readString(dir(controller, cgroupsPath).resolve(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A "key value" line of a flat keyed file such as cpu.stat; -1 when absent. */
    long keyed(String controller, String cgroupsPath, String file, String key) {
        for (String line : read(controller, cgroupsPath, file).split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1]);
            }
        }
        return -1;
    }

    /** CPU time the cgroup used, in nanoseconds (v1 cpuacct.usage, v2 cpu.stat usage_usec). */
    long cpuNanos(String cgroupsPath) {
        return layout.v1Controllers().containsKey("cpuacct") ? Long.parseLong(read("cpuacct", cgroupsPath, "cpuacct.usage"))
                : keyed("cpu", cgroupsPath, "cpu.stat", "usage_usec") * 1000;
    }

    /** The CPU quota in microseconds per period (v1 cpu.cfs_quota_us, v2 first field of cpu.max); -1 for none. */
    long cpuQuota(String cgroupsPath) {
        if (layout.v1Controllers().containsKey("cpu")) {
            return Long.parseLong(read("cpu", cgroupsPath, "cpu.cfs_quota_us"));
        }
        String quota = read("cpu", cgroupsPath, "cpu.max").split(" ")[0];
        return quota.equals("max") ? -1 : Long.parseLong(quota);
    }

    /** Memory the cgroup uses now, in bytes (v1 memory.usage_in_bytes, v2 memory.current). */
    long memoryUsage(String cgroupsPath) {
        return Long.parseLong(read("memory", cgroupsPath,
                layout.v1Controllers().containsKey("memory") ? "memory.usage_in_bytes" : "memory.current"));
    }

    /** The memory limit file's name: v1 memory.limit_in_bytes, v2 memory.max. */
    String memoryLimitFile() {
        return layout.v1Controllers().containsKey("memory") ? "memory.limit_in_bytes" : "memory.max";
    }

    /** The directories of {@code cgroupsPath} that exist, in any hierarchy. */
    List<Path> existing(String cgroupsPath) {
        return mounts.stream().map(m -> m.resolve(cgroupsPath.replaceFirst("^/+", ""))).filter(Files::isDirectory).toList();
    }

    /** The cgroup directories below {@code cgroupsPath} (itself excluded), in any hierarchy. */
    List<Path> below(String cgroupsPath) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : existing(cgroupsPath)) {
            try (var walk = Files.walk(dir)) {
                walk.filter(Files::isDirectory).filter(d -> !d.equals(dir)).forEach(found::add);
            }
        }
        return found;
    }
}
