package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which cgroup hierarchies this host mounts, read from {@code /proc/self/mountinfo}, and which
 * controllers the cgroup v2 hierarchy offers (its root's {@code cgroup.controllers}).
 *
 * <p>Three layouts exist: unified (cgroup v2 at {@code /sys/fs/cgroup}), legacy (v1 only) and
 * hybrid (v1 controllers plus a v2 tree, often at {@code /sys/fs/cgroup/unified}, which holds the
 * controllers no v1 hierarchy took, e.g. {@code hugetlb}). Berth works per controller: each one
 * lives where this layout says.
 *
 * @param v1Controllers v1 controller name to its mount point (co-mounted ones share a mount point)
 * @param unifiedMount the cgroup2 mount point, or null
 * @param unifiedControllers the controllers the cgroup2 root offers; empty without one
 */
public record CgroupLayout(Mode mode, Map<String, Path> v1Controllers, Path unifiedMount, Set<String> unifiedControllers) {

    public enum Mode {
        UNIFIED("v2"),
        HYBRID("v1 (hybrid)"),
        LEGACY("v1");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    /** The kernel's v1 controllers; other super options (xattr, name=...) are not controllers. */
    private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    public CgroupLayout {
        v1Controllers = Map.copyOf(v1Controllers);
        unifiedControllers = Set.copyOf(unifiedControllers);
    }

    /** This host's layout: /proc/self/mountinfo plus the cgroup2 root's controllers. */
    public static CgroupLayout detect() throws IOException {
        return fromMountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo"))).withUnifiedControllersFromDisk();
    }

    /**
     * Parses mountinfo lines (see proc(5)): fields, then " - ", then fstype, source, super options.
     * The result knows no cgroup2 controllers yet (see {@link #withUnifiedControllersFromDisk}).
     */
    public static CgroupLayout fromMountinfo(List<String> lines) {
        Map<String, Path> controllers = new TreeMap<>();
        Path unified = null;
        boolean rootIsUnified = false;
        for (String line : lines) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] fields = line.substring(0, dash).split(" ");
            String[] tail = line.substring(dash + 3).split(" ");
            if (fields.length < 5 || tail.length < 3) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            String fsType = tail[0];
            if (fsType.equals("cgroup2")) {
                unified = mountPoint;
                rootIsUnified |= mountPoint.equals(CGROUP_ROOT);
            } else if (fsType.equals("cgroup")) {
                for (String option : tail[2].split(",")) {
                    if (V1_CONTROLLERS.contains(option)) {
                        controllers.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        Mode mode = rootIsUnified ? Mode.UNIFIED : controllers.isEmpty() && unified != null ? Mode.UNIFIED
                : unified != null ? Mode.HYBRID : Mode.LEGACY;
        return new CgroupLayout(mode, controllers, unified, Set.of());
    }

    /** The same layout, with the controllers read from {@code <unifiedMount>/cgroup.controllers} (none if absent). */
    public CgroupLayout withUnifiedControllersFromDisk() throws IOException {
        if (unifiedMount == null) {
            return this;
        }
        Set<String> offered;
        try {
            offered = words(Files.readString(unifiedMount.resolve("cgroup.controllers")));
        } catch (NoSuchFileException e) {
            offered = Set.of();
        }
        return new CgroupLayout(mode, v1Controllers, unifiedMount, offered);
    }

    /** Whether the host has a hierarchy at all. */
    public boolean hasCgroups() {
        return unifiedMount != null || !v1Controllers.isEmpty();
    }

    /**
     * The same layout with every mount point under {@link #CGROUP_ROOT} moved under {@code fsRoot}
     * (a fake tree standing in for /sys/fs/cgroup). A mount point elsewhere is refused.
     */
    CgroupLayout under(Path fsRoot) {
        Map<String, Path> moved = new TreeMap<>();
        v1Controllers.forEach((controller, mount) -> moved.put(controller, rebase(mount, fsRoot)));
        return new CgroupLayout(mode, moved, unifiedMount == null ? null : rebase(unifiedMount, fsRoot), unifiedControllers);
    }

    /** The distinct hierarchy roots a cgroup spans: every v1 mount (sorted), then the cgroup2 mount. */
    List<Path> hierarchies() {
        List<Path> roots = new ArrayList<>(new TreeSet<>(v1Controllers.values()));
        if (unifiedMount != null) {
            roots.add(unifiedMount);
        }
        return List.copyOf(roots);
    }

    static Set<String> words(String text) {
        Set<String> words = new TreeSet<>(Arrays.asList(text.trim().split("\\s+")));
        words.remove("");
        return words;
    }

    private static Path rebase(Path mount, Path fsRoot) {
        if (!mount.startsWith(CGROUP_ROOT)) {
            throw new IllegalArgumentException("cgroup mount point " + mount + " is not under " + CGROUP_ROOT
                    + "; a fake tree can only stand in for " + CGROUP_ROOT);
        }
        Path relative = CGROUP_ROOT.relativize(mount);
        return relative.toString().isEmpty() ? fsRoot : fsRoot.resolve(relative.toString());
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
