package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * The cgroups of containers, by OCI {@code cgroupsPath}: with plain file I/O on the cgroup file
 * systems (the "cgroupfs" driver), or as systemd units plus those files (the "systemd" driver,
 * whose cgroupsPath is {@code slice:prefix:name}). Get one from {@link CgroupsFactory}.
 *
 * <p>A cgroup spans every hierarchy the host mounts: each v1 controller hierarchy (co-mounted
 * controllers share one) and the cgroup2 mount, in {@link CgroupLayout#mode() any layout}. Each
 * limit goes to the hierarchy that holds its controller, so on a hybrid host memory limits land in
 * v1 and hugepage limits may land in v2. The named {@code name=systemd} v1 hierarchy is not
 * joined: it is no controller, and on hybrid hosts systemd tracks processes in the cgroup2 tree,
 * which is joined.
 *
 * <p>A {@code cgroupsPath} is taken from each hierarchy's root ("berth/x" is the same as "/berth/x");
 * it must name a cgroup below the root and contain no "." or ".." components. Bad paths and limits
 * this host cannot apply throw {@link IllegalArgumentException} before anything is touched; a
 * memory limit below what the cgroup uses throws {@link MemoryLimitBelowUsageException} (the memory
 * limit unchanged, nothing else written yet); a failed file operation throws
 * {@link java.io.UncheckedIOException} naming the file and the value.
 */
public interface Cgroups {

    /**
     * Creates the cgroup for an OCI cgroupsPath (e.g. "/berth/<id>" or "/kubepods/burstable/pod<uid>/<id>"),
     * applies resources, and returns the directories a process must join (write its pid to
     * {@code <dir>/cgroup.procs}), one per hierarchy. Idempotent. After a failure the directories
     * made so far stay; the caller destroys them.
     */
    List<Path> create(String cgroupsPath, CgroupResources resources);

    /**
     * Hands the cgroup over to its owner once the container's first process ({@code pid}) has
     * joined the directories {@link #create} returned: the cgroupfs driver has nothing to do; the
     * systemd driver starts the transient scope holding {@code pid} with {@code resources} as its
     * properties (systemd makes no scope without a process). After a failure the caller destroys the cgroup.
     */
    default void adopt(String cgroupsPath, long pid, CgroupResources resources) {}

    /** Applies resources to an existing cgroup (fails naming the missing directory if it is gone). */
    void update(String cgroupsPath, CgroupResources resources);

    /**
     * Removes the cgroup's directories (and any cgroups below them, bottom-up) in every hierarchy;
     * retries briefly while the kernel drains exited tasks; gone is fine. Parents stay.
     */
    void destroy(String cgroupsPath);

    /** The directories of an existing cgroup (for exec to join), without creating anything. */
    List<Path> paths(String cgroupsPath);

    /**
     * The cgroup's resource usage now, each controller read where the layout has it. Missing files
     * (a controller the host lacks, a cgroup already gone) read as 0; other read errors throw.
     */
    CgroupUsage usage(String cgroupsPath);

    CgroupLayout layout();
}
