package dev.berth.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The network Berth writes when none exists: bridge + host-local + portmap, at cniVersion
 * 1.0.0 (what Debian's reference plugins speak). {@code lo} needs no plugin: Berth brings it up
 * when it creates the namespace.
 *
 * <p>Its IPAM range is the configured subnet until kubelet sends the node's pod CIDRs; from
 * then on it is those, as containerd's config template makes it ({@link #useRanges}).
 */
final class DefaultConfList {
    private DefaultConfList() {}

    /** @param podCidrs the ranges to use; {@link PodCidrs#NONE} means the network's configured subnet */
    static ObjectNode build(CniConfig.DefaultNetwork net, PodCidrs podCidrs, ObjectMapper json) {
        PodCidrs ranges = podCidrs.isEmpty() ? new PodCidrs(List.of(net.subnet())) : podCidrs;
        ObjectNode list = json.createObjectNode();
        list.put("cniVersion", "1.0.0");
        list.put("name", net.name());
        ArrayNode plugins = list.putArray("plugins");
        ObjectNode bridge = plugins.addObject();
        bridge.put("type", "bridge");
        bridge.put("bridge", net.bridge());
        bridge.put("isGateway", true);
        bridge.put("ipMasq", true);
        bridge.put("hairpinMode", true);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.set("ranges", ranges.ranges());
        ipam.set("routes", ranges.defaultRoutes());
        if (net.ipamDataDir() != null) {
            ipam.put("dataDir", net.ipamDataDir().toString());
        }
        ObjectNode portmap = plugins.addObject();
        portmap.put("type", "portmap");
        portmap.putObject("capabilities").put("portMappings", true);
        return list;
    }

    /** Writes {@code 10-<name>.conflist} into {@code dir} atomically and returns its path. */
    static Path write(Path dir, CniConfig.DefaultNetwork net, PodCidrs podCidrs, ObjectMapper json) {
        Path target = file(dir, net);
        try {
            AtomicFile.write(target, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(build(net, podCidrs, json)));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default CNI network " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the pod CIDRs the IPAM ranges of the default network in {@code dir}, if Berth wrote
     * that file and nobody changed it since, apart from its ranges and routes (which is all
     * Berth changes itself). A missing file stays missing: an admin removed it, or installed
     * another network first. Returns the file when it was rewritten.
     */
    static Optional<Path> useRanges(Path dir, CniConfig.DefaultNetwork net, PodCidrs podCidrs, ObjectMapper json) {
        Path target = file(dir, net);
        JsonNode current;
        try {
            current = json.readTree(Files.readAllBytes(target));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default CNI network " + target + ": " + e.getMessage(), e);
        }
        ObjectNode wanted = build(net, podCidrs, json);
        if (current.equals(wanted) || !withoutRanges(current).equals(withoutRanges(wanted))) {
            return Optional.empty(); // up to date, or not (any more) Berth's to change
        }
        return Optional.of(write(dir, net, podCidrs, json));
    }

    static Path file(Path dir, CniConfig.DefaultNetwork net) {
        return dir.resolve("10-" + net.name() + ".conflist");
    }

    private static JsonNode withoutRanges(JsonNode list) {
        JsonNode copy = list.deepCopy();
        if (copy.path("plugins").path(0).path("ipam") instanceof ObjectNode ipam) {
            ipam.remove("ranges");
            ipam.remove("routes");
        }
        return copy;
    }
}
