package dev.berth.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The network Berth writes when none exists: bridge + host-local + portmap, at cniVersion
 * 1.0.0 (what Debian's reference plugins speak). {@code lo} needs no plugin: Berth brings it up
 * when it creates the namespace.
 */
final class DefaultConfList {
    private DefaultConfList() {}

    static ObjectNode build(CniConfig.DefaultNetwork net, ObjectMapper json) {
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
        ipam.putArray("ranges").addArray().addObject().put("subnet", net.subnet());
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        if (net.ipamDataDir() != null) {
            ipam.put("dataDir", net.ipamDataDir().toString());
        }
        ObjectNode portmap = plugins.addObject();
        portmap.put("type", "portmap");
        portmap.putObject("capabilities").put("portMappings", true);
        return list;
    }

    /** Writes {@code 10-<name>.conflist} into {@code dir} atomically and returns its path. */
    static Path write(Path dir, CniConfig.DefaultNetwork net, ObjectMapper json) {
        Path target = dir.resolve("10-" + net.name() + ".conflist");
        Path temp = dir.resolve(".10-" + net.name() + ".conflist.tmp");
        try {
            Files.createDirectories(dir);
            Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(build(net, json)));
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default CNI network " + target + ": " + e.getMessage(), e);
        }
    }
}
