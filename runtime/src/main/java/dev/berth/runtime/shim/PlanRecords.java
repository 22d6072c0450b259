package dev.berth.runtime.shim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A launch plan read back (the format {@link PlanBuilder} writes): what the checkpoint code needs
 * to know of a container is what its shim was told, so it reads the plan rather than deciding again.
 */
final class PlanRecords {
    static final long MS_BIND = 0x1000;

    /** One record: the directive and its arguments. */
    record Entry(String name, List<String> args) {
        String arg(int i) {
            return i < args.size() ? args.get(i) : "";
        }
    }

    /** A bind mount of the plan: {@code destination} in the container, {@code source} on the host. */
    record Bind(String destination, String source) {}

    private final List<Entry> entries;

    private PlanRecords(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static PlanRecords parse(byte[] plan) {
        List<Entry> entries = new ArrayList<>();
        int pos = 0;
        while (pos < plan.length) {
            List<String> fields = new ArrayList<>();
            while (pos < plan.length && plan[pos] != '\n') {
                int colon = pos;
                while (colon < plan.length && plan[colon] != ':') {
                    colon++;
                }
                int len = Integer.parseInt(new String(plan, pos, colon - pos, StandardCharsets.US_ASCII));
                int start = colon + 1;
                if (len < 0 || start + len >= plan.length || plan[start + len] != ',') {
                    throw new IllegalArgumentException("malformed plan at byte " + pos);
                }
                fields.add(new String(plan, start, len, StandardCharsets.UTF_8));
                pos = start + len + 1;
            }
            pos++;
            if (!fields.isEmpty()) {
                entries.add(new Entry(fields.getFirst(), List.copyOf(fields.subList(1, fields.size()))));
            }
        }
        return new PlanRecords(entries);
    }

    List<Entry> all(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).toList();
    }

    Optional<Entry> first(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    boolean has(String name) {
        return first(name).isPresent();
    }

    /** The path of the namespace of this type the container joins, or empty when it gets a new one or the host's. */
    Optional<String> joinedNamespace(String type) {
        return all("ns").stream().filter(e -> e.arg(0).equals(type) && !e.arg(1).isEmpty()).map(e -> e.arg(1)).findFirst();
    }

    /** Every bind mount, in plan order (the pod's files, volumes, the v1 cgroup hierarchies). */
    List<Bind> binds() {
        List<Bind> out = new ArrayList<>();
        for (Entry e : all("mount")) {
            if ((Long.decode(e.arg(3)) & MS_BIND) != 0) {
                out.add(new Bind(e.arg(0), e.arg(2)));
            }
        }
        return out;
    }

    String rootfs() {
        return first("rootfs").map(e -> e.arg(0)).orElseThrow(() -> new IllegalArgumentException("the plan names no rootfs"));
    }

    List<String> cgroupDirs() {
        return all("cgroup").stream().map(e -> e.arg(0)).toList();
    }
}
