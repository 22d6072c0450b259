package dev.berth.server.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which cgroup hierarchies this host mounts, read from {@code /proc/self/mountinfo}.
 *
 * <p>Three layouts exist: unified (cgroup v2 at {@code /sys/fs/cgroup}), legacy (v1 only) and
 * hybrid (v1 controllers plus a v2 tree, often at {@code /sys/fs/cgroup/unified}). Berth's build
 * machines are hybrid, so the v1 controllers are listed one by one.
 */
public record CgroupLayout(Mode mode, Map<String, Path> v1Controllers, Path unifiedMount) {

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

    public static CgroupLayout detect() throws IOException {
        return fromMountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    /** Parses mountinfo lines (see proc(5)): fields, then " - ", then fstype, source, super options. */
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
        return new CgroupLayout(mode, Map.copyOf(controllers), unified);
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
