package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Makes a cgroup's directories from a hierarchy's root down, and removes them bottom-up. */
final class CgroupTree {
    /** rmdir is busy until the kernel has reaped the cgroup's last tasks: retry for about two seconds. */
    static final int REMOVE_ATTEMPTS = 10;
    static final Duration FIRST_DELAY = Duration.ofMillis(10);
    static final Duration MAX_DELAY = Duration.ofMillis(500);

    /** How to wait between attempts; a seam so tests need not wait. */
    interface Sleeper {
        Sleeper SYSTEM = Thread::sleep;

        void sleep(Duration duration) throws InterruptedException;
    }

    private final ControlFiles files;
    private final Sleeper sleeper;

    CgroupTree(ControlFiles files, Sleeper sleeper) {
        this.files = files;
        this.sleeper = sleeper;
    }

    /**
     * Makes the cgroup's directories in a v1 hierarchy. In a cpuset hierarchy a new directory's
     * cpuset.cpus and cpuset.mems start empty and no task can join it, so every directory on the
     * way down that has none gets its parent's (runc does the same).
     */
    Path ensureV1(Path root, CgroupPath path, boolean cpuset) {
        Path dir = root;
        for (String name : path.names()) {
            Path child = dir.resolve(name);
            files.mkdir(child);
            if (cpuset) {
                inherit(dir, child, "cpuset.cpus");
                inherit(dir, child, "cpuset.mems");
            }
            dir = child;
        }
        return dir;
    }

    private void inherit(Path parent, Path child, String file) {
        if (files.read(child, file).isEmpty()) {
            files.write(child, file, files.read(parent, file));
        }
    }

    /**
     * Makes (when {@code mkdir}) the cgroup's directories in the v2 hierarchy, first enabling in each
     * ancestor's cgroup.subtree_control the {@code wanted} controllers it offers and lacks, so the
     * cgroup gets their files. The cgroup itself enables nothing: it holds processes.
     */
    Path ensureV2(Path root, CgroupPath path, Set<String> wanted, boolean mkdir) {
        Path dir = root;
        for (String name : path.names()) {
            enable(dir, wanted);
            dir = dir.resolve(name);
            if (mkdir) {
                files.mkdir(dir);
            }
        }
        return dir;
    }

    private void enable(Path dir, Set<String> wanted) {
        Set<String> offered = CgroupLayout.words(files.read(dir, "cgroup.controllers"));
        Set<String> enabled = CgroupLayout.words(files.read(dir, "cgroup.subtree_control"));
        String change = wanted.stream()
                .filter(c -> offered.contains(c) && !enabled.contains(c))
                .map(c -> "+" + c)
                .collect(Collectors.joining(" "));
        if (!change.isEmpty()) {
            files.write(dir, "cgroup.subtree_control", change);
        }
    }

    /** Removes {@code dir} and the cgroups below it, retrying while busy; gone is fine. */
    void remove(Path dir) {
        Duration delay = FIRST_DELAY;
        FileSystemException last = null;
        for (int attempt = 1; attempt <= REMOVE_ATTEMPTS; attempt++) {
            try {
                removeBottomUp(dir);
                return;
            } catch (FileSystemException e) {
                last = e;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove cgroup " + dir + ": " + ControlFiles.reason(e), e);
            }
            if (attempt == REMOVE_ATTEMPTS) {
                break;
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
        Path failed = last.getFile() == null ? dir : Path.of(last.getFile());
        throw new UncheckedIOException("cannot remove cgroup " + failed + ": " + ControlFiles.reason(last) + tasksIn(failed), last);
    }

    private void removeBottomUp(Path dir) throws IOException {
        try {
            for (Path child : files.fs().childDirs(dir)) {
                removeBottomUp(child);
            }
            files.fs().rmdir(dir);
        } catch (NoSuchFileException gone) {
            // removed already, or concurrently: fine
        }
    }

    private String tasksIn(Path dir) {
        try {
            String procs = files.fs().read(dir.resolve("cgroup.procs")).strip().replace('\n', ' ');
            return procs.isEmpty() ? "" : " (processes still in it: " + procs + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
