package dev.berth.cni;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's pod CIDRs, as kubelet sends them in CRI UpdateRuntimeConfig: the node's
 * {@code spec.podCIDRs} joined with commas, so one network, or an IPv4 and an IPv6 one on a
 * dual-stack node. Each is a network address (no host bits set, as host-local requires).
 *
 * @param cidrs as given, in order; empty when kubelet has sent none
 */
public record PodCidrs(List<String> cidrs) {
    public static final PodCidrs NONE = new PodCidrs(List.of());

    public PodCidrs {
        cidrs = List.copyOf(cidrs);
    }

    /**
     * Parses kubelet's comma-separated form; blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the part that is not a pod CIDR and why
     */
    public static PodCidrs parse(String text) {
        if (text.isBlank()) {
            return NONE;
        }
        List<String> cidrs = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (String part : text.split(",", -1)) {
            String cidr = part.strip();
            Cidr parsed = Cidr.parse(cidr);
            if (!parsed.equals(parsed.network())) {
                throw new IllegalArgumentException("\"" + cidr + "\" has host bits set; the network of prefix length "
                        + parsed.prefix() + " is " + parsed.network());
            }
            if (parsed.ipv6() ? v6 : v4) {
                throw new IllegalArgumentException("\"" + text + "\" holds more than one " + (parsed.ipv6() ? "IPv6" : "IPv4")
                        + " network; a node has at most one pod CIDR per IP family");
            }
            v4 |= !parsed.ipv6();
            v6 |= parsed.ipv6();
            cidrs.add(cidr);
        }
        return new PodCidrs(cidrs);
    }

    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    /** Kubelet's form: the CIDRs joined with commas. */
    @Override
    public String toString() {
        return String.join(",", cidrs);
    }

    /** IPAM ranges as host-local reads them, and as the {@code ipRanges} capability carries them: one range set per CIDR. */
    ArrayNode ranges() {
        ArrayNode sets = JsonNodeFactory.instance.arrayNode();
        cidrs.forEach(cidr -> sets.addArray().addObject().put("subnet", cidr));
        return sets;
    }

    /** A default route for each IP family among the CIDRs, as containerd's config template gets them. */
    ArrayNode defaultRoutes() {
        ArrayNode routes = JsonNodeFactory.instance.arrayNode();
        if (cidrs.stream().anyMatch(c -> !Cidr.parse(c).ipv6())) {
            routes.addObject().put("dst", "0.0.0.0/0");
        }
        if (cidrs.stream().anyMatch(c -> Cidr.parse(c).ipv6())) {
            routes.addObject().put("dst", "::/0");
        }
        return routes;
    }
}
