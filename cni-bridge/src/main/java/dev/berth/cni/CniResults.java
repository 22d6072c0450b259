package dev.berth.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Reads pod addresses out of an ADD result (SPEC §5, versions 0.3.0 and later). */
final class CniResults {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private CniResults() {}

    /**
     * The addresses of the result's {@code ips} that belong to an interface inside the sandbox
     * (or name no interface), IPv4 first; duplicates dropped.
     */
    static List<InetAddress> podIps(String plugin, JsonNode result) {
        List<InetAddress> ips = new ArrayList<>();
        JsonNode interfaces = result.path("interfaces");
        for (JsonNode ip : result.path("ips")) {
            JsonNode index = ip.get("interface");
            if (index != null && index.isInt() && interfaces.has(index.asInt())
                    && interfaces.get(index.asInt()).path("sandbox").asText("").isEmpty()) {
                continue; // an address on a host-side interface
            }
            InetAddress address = parse(plugin, ip.path("address").asText(""));
            if (!ips.contains(address)) {
                ips.add(address);
            }
        }
        ips.sort(Comparator.comparingInt(a -> a instanceof Inet4Address ? 0 : 1));
        return ips;
    }

    private static InetAddress parse(String plugin, String cidr) {
        String literal = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
        // only literals, so InetAddress never does a DNS lookup
        if (literal.isEmpty() || !IP_LITERAL.matcher(literal).matches()) {
            throw new CniException(plugin, CniException.RUNTIME_ERROR, "CNI result holds an invalid address: \"" + cidr + "\"");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new CniException(plugin, CniException.RUNTIME_ERROR, "CNI result holds an invalid address: \"" + cidr + "\"");
        }
    }
}
