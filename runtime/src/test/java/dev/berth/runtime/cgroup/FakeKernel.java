package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A cgroup file system in a temporary directory that behaves like the kernel where the managers
 * rely on it: mkdir fills a directory with its controllers' files (v2: only those the parent
 * enabled in cgroup.subtree_control), subtree_control takes "+c"/"-c" of offered controllers,
 * v1 memory refuses a limit above memsw (and memsw below the limit) and answers EBUSY to a limit
 * below memory.usage_in_bytes, v2 memory.reclaim takes back at most {@link #reclaimable} bytes,
 * writes never create files, and rmdir is busy while cgroup.procs lists tasks or a test says so.
 */
final class FakeKernel implements CgroupFs {
    static final String UNLIMITED = "9223372036854771712";

    private record Hierarchy(boolean v2, Set<String> controllers) {}

    private final HostCgroupFs files = new HostCgroupFs();
    private final Map<Path, Hierarchy> hierarchies = new HashMap<>();
    private final Map<Path, Integer> busy = new HashMap<>();
    private final List<String> writes = new ArrayList<>();
    private final Path root;
    boolean swapAccounting = true;
    /** How many bytes a write to memory.reclaim can take back from memory.current. */
    long reclaimable;
    List<String> hugepageSizes = List.of("2MB", "1GB");

    FakeKernel(Path root) {
        this.root = root;
    }

    /** Mounts a v1 hierarchy: the directory with its controllers' root files. */
    void mountV1(Path mount, Set<String> controllers) throws IOException {
        hierarchies.put(mount, new Hierarchy(false, controllers));
        Files.createDirectories(mount);
        populate(mount);
        if (controllers.contains("cpuset")) {
            Files.writeString(mount.resolve("cpuset.cpus"), "0-3\n");
            Files.writeString(mount.resolve("cpuset.mems"), "0\n");
        }
    }

    /** Mounts a cgroup2 hierarchy whose root offers {@code controllers}. */
    void mountV2(Path mount, Set<String> controllers) throws IOException {
        hierarchies.put(mount, new Hierarchy(true, controllers));
        Files.createDirectories(mount);
        Files.writeString(mount.resolve("cgroup.controllers"), String.join(" ", new TreeSet<>(controllers)) + "\n");
        Files.writeString(mount.resolve("cgroup.subtree_control"), "");
        Files.writeString(mount.resolve("cgroup.procs"), "");
    }

    /** The next {@code times} rmdir calls on {@code dir} fail with EBUSY. */
    void busy(Path dir, int times) {
        busy.put(dir, times);
    }

    /** Every successful write, as "path-below-root=value", in order. */
    List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public boolean exists(Path path) {
        return files.exists(path);
    }

    @Override
    public void mkdir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectory(dir);
        populate(dir);
    }

    @Override
    public void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        int times = busy.getOrDefault(dir, 0);
        if (times > 0) {
            busy.put(dir, times - 1);
            throw new FileSystemException(dir.toString(), null, "Device or resource busy");
        }
        if (!childDirs(dir).isEmpty()) {
            throw new DirectoryNotEmptyException(dir.toString());
        }
        if (!Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
            throw new FileSystemException(dir.toString(), null, "Device or resource busy");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Override
    public List<Path> childDirs(Path dir) throws IOException {
        return files.childDirs(dir);
    }

    @Override
    public String read(Path file) throws IOException {
        return files.read(file);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String name = file.getFileName().toString();
        Path dir = file.getParent();
        if (name.equals("cgroup.subtree_control")) {
            subtreeControl(dir, value);
        } else {
            if (name.equals(V1Settings.MEMORY_LIMIT) && Files.exists(dir.resolve(V1Settings.MEMSW_LIMIT))
                    && bytes(value) > bytes(read(dir.resolve(V1Settings.MEMSW_LIMIT)))) {
                throw new IOException("Invalid argument");
            }
            if (name.equals(V1Settings.MEMSW_LIMIT) && bytes(value) < bytes(read(dir.resolve(V1Settings.MEMORY_LIMIT)))) {
                throw new IOException("Invalid argument");
            }
            if (name.equals(V1Settings.MEMORY_LIMIT) && bytes(value) < bytes(read(dir.resolve("memory.usage_in_bytes")))) {
                throw new IOException("Device or resource busy");
            }
            if (name.equals("memory.reclaim")) {
                reclaim(dir, bytes(value));
            } else {
                Files.writeString(file, value);
            }
        }
        writes.add(root.relativize(file) + "=" + value);
    }

    /** Takes back what it can; EAGAIN, as the kernel, when that is less than asked. */
    private void reclaim(Path dir, long asked) throws IOException {
        long current = bytes(read(dir.resolve("memory.current")));
        long taken = Math.min(asked, Math.min(reclaimable, current));
        reclaimable -= taken;
        Files.writeString(dir.resolve("memory.current"), Long.toString(current - taken) + "\n");
        if (taken < asked) {
            throw new IOException("Resource temporarily unavailable");
        }
    }

    private void subtreeControl(Path dir, String value) throws IOException {
        Set<String> offered = CgroupLayout.words(read(dir.resolve("cgroup.controllers")));
        Set<String> enabled = CgroupLayout.words(read(dir.resolve("cgroup.subtree_control")));
        for (String change : value.trim().split("\\s+")) {
            String controller = change.substring(1);
            if (!offered.contains(controller) || (change.charAt(0) != '+' && change.charAt(0) != '-')) {
                throw new IOException("No such file or directory");
            }
            if (change.charAt(0) == '+') {
                enabled.add(controller);
            } else {
                enabled.remove(controller);
            }
        }
        Files.writeString(dir.resolve("cgroup.subtree_control"), String.join(" ", enabled) + "\n");
        for (Path child : childDirs(dir)) {
            populate(child);
        }
    }

    /** Adds the control files a cgroup directory has (files that exist keep their content). */
    private void populate(Path dir) throws IOException {
        Map.Entry<Path, Hierarchy> mount = hierarchyOf(dir);
        Map<String, String> content = new LinkedHashMap<>();
        content.put("cgroup.procs", "");
        Set<String> controllers = mount.getValue().controllers();
        if (mount.getValue().v2()) {
            content.put("cgroup.subtree_control", "");
            if (!dir.equals(mount.getKey())) {
                controllers = CgroupLayout.words(read(dir.getParent().resolve("cgroup.subtree_control")));
                Files.writeString(dir.resolve("cgroup.controllers"), String.join(" ", controllers) + "\n");
            }
        } else {
            content.put("tasks", "");
        }
        for (String controller : controllers) {
            templates(mount.getValue().v2(), controller, content);
        }
        for (Map.Entry<String, String> file : content.entrySet()) {
            if (!Files.exists(dir.resolve(file.getKey()))) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue().isEmpty() ? "" : file.getValue() + "\n");
            }
        }
    }

    private void templates(boolean v2, String controller, Map<String, String> files) {
        switch (controller + (v2 ? "/v2" : "/v1")) {
            case "memory/v1" -> {
                files.put(V1Settings.MEMORY_LIMIT, UNLIMITED);
                files.put("memory.usage_in_bytes", "0");
                files.put("memory.max_usage_in_bytes", "0");
                if (swapAccounting) {
                    files.put(V1Settings.MEMSW_LIMIT, UNLIMITED);
                }
            }
            case "memory/v2" -> {
                files.put("memory.max", "max");
                files.put("memory.current", "0");
                files.put("memory.peak", "0");
                files.put("memory.reclaim", "");
                if (swapAccounting) {
                    files.put("memory.swap.max", "max");
                }
            }
            case "cpu/v1" -> {
                files.put("cpu.shares", "1024");
                files.put("cpu.cfs_quota_us", "-1");
                files.put("cpu.cfs_period_us", "100000");
            }
            case "cpu/v2" -> {
                files.put("cpu.weight", "100");
                files.put("cpu.max", "max 100000");
            }
            case "cpuset/v1", "cpuset/v2" -> {
                files.put("cpuset.cpus", "");
                files.put("cpuset.mems", "");
            }
            case "pids/v1", "pids/v2" -> files.put("pids.max", "max");
            case "hugetlb/v1" -> hugepageSizes.forEach(size -> files.put("hugetlb." + size + ".limit_in_bytes", UNLIMITED));
            case "hugetlb/v2" -> hugepageSizes.forEach(size -> {
                files.put("hugetlb." + size + ".max", "max");
                files.put("hugetlb." + size + ".rsvd.max", "max");
            });
            case "io/v2" -> files.put("io.max", "");
            default -> files.put(controller + ".stat", "");
        }
    }

    private Map.Entry<Path, Hierarchy> hierarchyOf(Path dir) {
        return hierarchies.entrySet().stream()
                .filter(e -> dir.startsWith(e.getKey()))
                .max((a, b) -> Integer.compare(a.getKey().getNameCount(), b.getKey().getNameCount()))
                .orElseThrow(() -> new IllegalStateException(dir + " is in no fake hierarchy"));
    }

    private static long bytes(String value) {
        return value.strip().equals("-1") ? Long.MAX_VALUE : Long.parseLong(value.strip());
    }
}
