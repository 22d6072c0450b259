package dev.berth.runtime.cgroup;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link Cgroups} by direct writes to the cgroup file systems, for every layout: each controller
 * is handled where the layout has it (a v1 hierarchy, else the cgroup2 mount), so legacy, hybrid
 * and unified hosts take the same path. Order of work: check everything (nothing touched on a bad
 * request), make the directories in every hierarchy, then write the limits. Holds no state
 * beyond the layout, so concurrent calls are safe (concurrent enabling or cpuset copying writes
 * the same values).
 */
final class CgroupfsManager implements Cgroups {
    /** The controllers {@link CgroupResources}' typed fields drive, in the order they are written. */
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids", "cpuset", "hugetlb");

    private final CgroupLayout layout;
    private final ControlFiles files;
    private final CgroupTree tree;
    private final V1Settings v1;
    private final V2Settings v2;
    private final UsageReader usage;

    CgroupfsManager(CgroupLayout layout, CgroupFs fs, CgroupTree.Sleeper sleeper) {
        if (!layout.hasCgroups()) {
            throw new IllegalStateException("this host mounts no cgroup hierarchy (no cgroup or cgroup2 in /proc/self/mountinfo)");
        }
        this.layout = layout;
        this.files = new ControlFiles(fs);
        this.tree = new CgroupTree(files, sleeper);
        this.v1 = new V1Settings(files);
        this.v2 = new V2Settings(files);
        this.usage = new UsageReader(layout, fs);
    }

    @Override
    public List<Path> create(String cgroupsPath, CgroupResources resources) {
        CgroupPath path = CgroupPath.parse(cgroupsPath);
        CgroupResources r = resources == null ? CgroupResources.none() : resources;
        Set<String> v2Controllers = check(r);
        Path cpusetRoot = layout.v1Controllers().get("cpuset");
        List<Path> dirs = new ArrayList<>();
        for (Path root : layout.hierarchies()) {
            dirs.add(root.equals(layout.unifiedMount())
                    ? tree.ensureV2(root, path, v2Controllers, true)
                    : tree.ensureV1(root, path, root.equals(cpusetRoot)));
        }
        apply(path, r);
        return List.copyOf(dirs);
    }

    @Override
    public void update(String cgroupsPath, CgroupResources resources) {
        CgroupPath path = CgroupPath.parse(cgroupsPath);
        CgroupResources r = resources == null ? CgroupResources.none() : resources;
        Set<String> v2Controllers = check(r);
        existing(path);
        if (layout.unifiedMount() != null) {
            tree.ensureV2(layout.unifiedMount(), path, v2Controllers, false);
        }
        apply(path, r);
    }

    @Override
    public void destroy(String cgroupsPath) {
        CgroupPath path = CgroupPath.parse(cgroupsPath);
        UncheckedIOException failure = null;
        for (Path root : layout.hierarchies()) {
            try {
                tree.remove(path.under(root));
            } catch (UncheckedIOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public List<Path> paths(String cgroupsPath) {
        return existing(CgroupPath.parse(cgroupsPath));
    }

    @Override
    public CgroupUsage usage(String cgroupsPath) {
        return usage.read(CgroupPath.parse(cgroupsPath));
    }

    @Override
    public CgroupLayout layout() {
        return layout;
    }

    private List<Path> existing(CgroupPath path) {
        List<Path> dirs = layout.hierarchies().stream().map(path::under).toList();
        for (Path dir : dirs) {
            if (!files.fs().exists(dir)) {
                throw new UncheckedIOException("cgroup " + path + " does not exist: no directory " + dir,
                        new NoSuchFileException(dir.toString()));
            }
        }
        return dirs;
    }

    private void apply(CgroupPath path, CgroupResources r) {
        for (String controller : CONTROLLERS) {
            if (!needs(controller, r)) {
                continue;
            }
            Path v1Root = layout.v1Controllers().get(controller);
            if (v1Root != null) {
                v1.apply(controller, path.under(v1Root), r);
            } else {
                v2.apply(controller, path.under(layout.unifiedMount()), r);
            }
        }
        if (!r.unified().isEmpty()) {
            v2.unified(path.under(layout.unifiedMount()), r.unified());
        }
    }

    /**
     * Refuses what this host cannot apply, before anything is touched: a limit whose controller no
     * hierarchy has, a swap value v2 cannot express, and {@code unified} keys whose controller is
     * not on the cgroup v2 hierarchy (on v1 or hybrid hosts). Returns the controllers to enable in
     * the v2 ancestors: the usual ones plus those the unified keys name.
     */
    Set<String> check(CgroupResources r) {
        List<String> missing = CONTROLLERS.stream()
                .filter(c -> needs(c, r) && !layout.v1Controllers().containsKey(c) && !layout.unifiedControllers().contains(c))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the limits need the " + String.join(", ", missing)
                    + " controller(s), which this host (cgroup " + layout.mode().label() + ") does not have");
        }
        Limits.checkSwap(r.memoryLimitBytes(), r.memorySwapLimitBytes());
        if (needs("memory", r) && !layout.v1Controllers().containsKey("memory")) {
            Limits.swapMax(r.memoryLimitBytes(), r.memorySwapLimitBytes());
        }
        Set<String> wanted = new LinkedHashSet<>(CONTROLLERS);
        Map<String, List<String>> refused = new TreeMap<>();
        for (String key : r.unified().keySet()) {
            String controller = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (layout.unifiedMount() == null) {
                refused.computeIfAbsent("this host has no cgroup v2 hierarchy (cgroup " + layout.mode().label()
                        + "); leave them out here, or run the pod on a cgroup v2 node",
                        k -> new ArrayList<>()).add(key);
            } else if (layout.v1Controllers().containsKey(controller)) {
                refused.computeIfAbsent("controller " + controller + " is on cgroup v1 here; set its v1 limit instead",
                        k -> new ArrayList<>()).add(key);
            } else if (!controller.equals("cgroup") && !layout.unifiedControllers().contains(controller)) {
                refused.computeIfAbsent("cgroup v2 here has no controller " + controller + " (it offers "
                        + String.join(" ", new TreeSet<>(layout.unifiedControllers())) + ")",
                        k -> new ArrayList<>()).add(key);
            } else if (!controller.equals("cgroup")) {
                wanted.add(controller);
            }
        }
        if (!refused.isEmpty()) {
            StringBuilder message = new StringBuilder("cannot apply unified (cgroup v2) settings");
            refused.forEach((why, keys) -> message.append("; ").append(String.join(", ", keys)).append(": ").append(why));
            throw new IllegalArgumentException(message.toString());
        }
        return wanted;
    }

    private static boolean needs(String controller, CgroupResources r) {
        return switch (controller) {
            case "memory" -> Limits.set(r.memoryLimitBytes()) || Limits.set(r.memorySwapLimitBytes());
            case "cpu" -> Limits.set(r.cpuShares()) || Limits.set(r.cpuQuotaMicros()) || Limits.set(r.cpuPeriodMicros());
            case "cpuset" -> Limits.hasText(r.cpusetCpus()) || Limits.hasText(r.cpusetMems());
            case "pids" -> r.pidsLimit() != null;
            case "hugetlb" -> !r.hugepageLimits().isEmpty();
            default -> false;
        };
    }
}
