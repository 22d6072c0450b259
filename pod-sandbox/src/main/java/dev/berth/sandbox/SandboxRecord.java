package dev.berth.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Berth remembers about a pod sandbox, persisted as {@code <root>/sandboxes/<id>/record.json}
 * by {@link RecordStore}. Immutable: a state change is a new record written over the old one.
 * See {@link SandboxState} for the state machine.
 *
 * @param version the record format, {@link #FORMAT}; a reader refuses newer formats
 * @param createdAtNanos creation time in nanoseconds since the epoch (CRI's {@code created_at})
 * @param runtimeHandler the CRI runtime handler asked for ("" is the default)
 * @param netnsPath the pinned network namespace, or null for a host-network pod
 * @param ips the pod's addresses, primary first; empty for a host-network pod
 * @param logDirectory where kubelet wants the pod's container logs
 * @param cgroupParent kubelet's cgroup parent for the pod ("" when none was given)
 * @param podCgroup the pod's cgroup, parent of its pause's and containers' cgroups; null in records of
 *     older daemons, whose pause and containers sit in {@code cgroupParent} (or {@code /berth}) side by side
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxRecord(
        int version,
        String id,
        String name,
        String namespace,
        String uid,
        int attempt,
        long createdAtNanos,
        SandboxState state,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runtimeHandler,
        String netnsPath,
        List<String> ips,
        String hostname,
        String logDirectory,
        String cgroupParent,
        NamespaceModes namespaces,
        PodCgroup podCgroup) implements StoredRecord {

    public static final int FORMAT = 1;

    public SandboxRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        name = Objects.requireNonNullElse(name, "");
        namespace = Objects.requireNonNullElse(namespace, "");
        uid = Objects.requireNonNullElse(uid, "");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        runtimeHandler = Objects.requireNonNullElse(runtimeHandler, "");
        ips = ips == null ? List.of() : List.copyOf(ips);
        hostname = Objects.requireNonNullElse(hostname, "");
        logDirectory = Objects.requireNonNullElse(logDirectory, "");
        cgroupParent = Objects.requireNonNullElse(cgroupParent, "");
        namespaces = Objects.requireNonNullElseGet(namespaces, () -> new NamespaceModes(null, null, null, null));
    }

    /** The name kubelet's request reserves: {@code <name>_<namespace>_<uid>_<attempt>}, as containerd builds it. */
    public String reservedName() {
        return reservedName(name, namespace, uid, attempt);
    }

    static String reservedName(String name, String namespace, String uid, int attempt) {
        return name + "_" + namespace + "_" + uid + "_" + attempt;
    }

    /** The cgroup the pause's and containers' cgroups go in; "" for none (then {@code /berth}, as older daemons did). */
    String containersCgroupParent() {
        return podCgroup != null ? podCgroup.path() : cgroupParent;
    }

    /** READY → NOTREADY; a NOTREADY record stays as it is (stop is idempotent). */
    SandboxRecord stopped() {
        return new SandboxRecord(version, id, name, namespace, uid, attempt, createdAtNanos, SandboxState.NOTREADY, labels,
                annotations, runtimeHandler, netnsPath, ips, hostname, logDirectory, cgroupParent, namespaces, podCgroup);
    }

    SandboxRecord withPodCgroup(PodCgroup cgroup) {
        return new SandboxRecord(version, id, name, namespace, uid, attempt, createdAtNanos, state, labels,
                annotations, runtimeHandler, netnsPath, ips, hostname, logDirectory, cgroupParent, namespaces, cgroup);
    }
}
