package dev.berth.sandbox.spec;

/**
 * How the OCI cgroupsPath of a pod's pause process and of its containers is written, which
 * depends on the cgroup driver Berth runs with (kubelet's cgroup parents follow the same driver).
 */
public enum CgroupsPathStyle {
    /** {@code <cgroup parent>/<id>}, e.g. {@code /kubepods/burstable/pod<uid>/<id>}; {@code /berth/<id>} without a parent (crictl). */
    CGROUPFS,
    /**
     * systemd's {@code slice:prefix:name}, {@code <pod slice>:berth:<id>}: the runtime makes the
     * transient scope {@code berth-<id>.scope} in kubelet's pod slice (containerd's form, with
     * prefix "berth"); {@code berth.slice} when kubelet gave no parent.
     */
    SYSTEMD;

    static final String DEFAULT_CGROUPFS_PARENT = "/berth";
    static final String DEFAULT_SLICE = "berth.slice";
    static final String SCOPE_PREFIX = "berth";
    private static final String SLICE = ".slice";

    /** The cgroupsPath of the pause process or container {@code id} under kubelet's {@code cgroupParent} ("" = none). */
    public String cgroupsPath(String cgroupParent, String id) {
        String parent = cgroupParent == null ? "" : cgroupParent;
        return switch (this) {
            case CGROUPFS -> {
                String p = parent.isEmpty() ? DEFAULT_CGROUPFS_PARENT : parent;
                yield (p.startsWith("/") ? p : "/" + p).replaceAll("/+$", "") + "/" + id;
            }
            case SYSTEMD -> slice(parent) + ":" + SCOPE_PREFIX + ":" + id;
        };
    }

    /**
     * Refuses a cgroup parent this driver cannot place a pod under, naming the mismatch: under
     * systemd, kubelet (with cgroupDriver systemd) sends a slice, as a name or its expanded path.
     */
    public void checkParent(String cgroupParent) {
        if (this == SYSTEMD && cgroupParent != null && !cgroupParent.isEmpty()) {
            slice(cgroupParent);
        }
    }

    /** The pod's slice: the last component of kubelet's parent (the expanded path of the slice, or its name alone). */
    private static String slice(String parent) {
        if (parent.isEmpty()) {
            return DEFAULT_SLICE;
        }
        String trimmed = parent.replaceAll("/+$", "");
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (!last.endsWith(SLICE) || last.length() == SLICE.length() || last.contains(":")) {
            throw new SpecException("cgroup_parent \"" + parent + "\" is not a systemd slice, but Berth runs with cgroup.driver = systemd;"
                    + " set kubelet's cgroupDriver to systemd (it then sends a slice such as kubepods-burstable-pod<uid>.slice),"
                    + " or run Berth with cgroup.driver = cgroupfs");
        }
        return last;
    }
}
