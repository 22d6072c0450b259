package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.Capability;
import dev.berth.runtime.oci.LinuxCapabilities;
import dev.berth.runtime.oci.Spec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The container's capability sets. The default set is containerd's (Docker's); "ALL" in add
 * or drop starts from every capability or from none, then the named ones are added and
 * dropped. A dropped capability leaves every set. Ambient ones (CRI add_ambient_capabilities)
 * go into all five sets, since the kernel keeps an ambient capability only while it is also
 * permitted and inheritable; the inheritable set is otherwise empty. The sets do not depend on
 * the user: as with containerd, a non-root process keeps what its permitted set allows.
 * A privileged container gets every capability and its add/drop lists are ignored.
 */
final class Capabilities {
    /** Every capability up to CAP_CHECKPOINT_RESTORE (40), in kernel order. */
    static final List<String> ALL = LinuxCapabilities.ALL;

    /** containerd's default set (pkg/oci defaultUnixCaps), in its order. */
    static final List<String> DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private Capabilities() {}

    static Spec.Capabilities forContainer(Capability request, boolean privileged) {
        return forContainer(request, privileged, Set.copyOf(ALL));
    }

    /**
     * The sets, within what Berth itself may grant ({@code available}, its own bounding set):
     * "every capability" for privileged or ALL means every one the node lets Berth hold, as
     * containerd takes its own; a capability named alone that Berth lacks is an error here
     * rather than an EPERM from capset at start.
     */
    static Spec.Capabilities forContainer(Capability request, boolean privileged, Set<String> available) {
        List<String> add = names(request.getAddCapabilitiesList(), "add_capabilities");
        List<String> drop = names(request.getDropCapabilitiesList(), "drop_capabilities");
        List<String> ambient = names(request.getAddAmbientCapabilitiesList(), "add_ambient_capabilities");
        if (ambient.contains("ALL")) {
            throw new SpecException("capabilities.add_ambient_capabilities: \"ALL\" is not allowed; name each capability");
        }
        for (String cap : add) {
            if (!cap.equals("ALL") && !available.contains(cap)) {
                throw new SpecException("capabilities.add_capabilities: " + cap + " is not in Berth's own bounding set on this node "
                        + "(see CapBnd in /proc/<berth pid>/status), so no container can have it; drop it from the request");
            }
        }
        Set<String> granted = new LinkedHashSet<>(privileged || add.contains("ALL") ? ALL : DEFAULT);
        granted.retainAll(available);
        if (!privileged) {
            if (drop.contains("ALL")) {
                granted.clear();
            }
            add.stream().filter(c -> !c.equals("ALL")).forEach(granted::add);
        }
        Set<String> ambientSet = new LinkedHashSet<>(ambient);
        granted.addAll(ambientSet);
        if (!privileged) {
            drop.forEach(granted::remove);
            drop.forEach(ambientSet::remove);
        }
        List<String> sets = List.copyOf(granted);
        List<String> ambientList = List.copyOf(ambientSet);
        return new Spec.Capabilities(sets, sets, ambientList, sets, ambientList);
    }

    /** CAP_-prefixed upper-case names (CRI allows "chown" or "CAP_CHOWN"); "ALL" stays as is. */
    private static List<String> names(List<String> raw, String field) {
        return raw.stream().map(name -> {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            if (upper.equals("ALL")) {
                return upper;
            }
            String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!ALL.contains(cap)) {
                throw new SpecException("capabilities." + field + ": unknown capability \"" + name
                        + "\"; use a name from capabilities(7), such as NET_ADMIN, or ALL");
            }
            return cap;
        }).toList();
    }
}
