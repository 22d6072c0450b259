package dev.berth.sandbox;

import dev.berth.cri.api.v1.DNSConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pod's {@code hosts}, {@code resolv.conf} and {@code hostname} files, written into the
 * sandbox directory for the pod's containers to bind-mount over /etc later.
 *
 * <ul>
 *   <li>hosts: the node's /etc/hosts for a host-network pod, else localhost entries (kubelet
 *       usually mounts its own managed hosts file over it);
 *   <li>resolv.conf: from the CRI DNSConfig when it has any entry, else the node's;
 *   <li>hostname: the pod's hostname.
 * </ul>
 */
final class EtcFiles {
    static final String LOCAL_HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            """;

    private final Path hostEtc;

    /** {@code hostEtc} is the node's /etc (a temp dir in tests). */
    EtcFiles(Path hostEtc) {
        this.hostEtc = hostEtc;
    }

    void write(Path sandboxDir, boolean hostNetwork, DNSConfig dns, String hostname) throws IOException {
        Files.createDirectories(sandboxDir);
        String hosts = hostNetwork ? readOr(hostEtc.resolve("hosts"), LOCAL_HOSTS) : LOCAL_HOSTS;
        Files.writeString(sandboxDir.resolve("hosts"), hosts);
        Files.writeString(sandboxDir.resolve("resolv.conf"), resolvConf(dns));
        Files.writeString(sandboxDir.resolve("hostname"), hostname.isEmpty() ? "" : hostname + "\n");
    }

    String resolvConf(DNSConfig dns) throws IOException {
        if (dns == null || (dns.getServersCount() == 0 && dns.getSearchesCount() == 0 && dns.getOptionsCount() == 0)) {
            return readOr(hostEtc.resolve("resolv.conf"), "");
        }
        StringBuilder out = new StringBuilder();
        if (dns.getSearchesCount() > 0) {
            out.append("search ").append(String.join(" ", dns.getSearchesList())).append('\n');
        }
        for (String server : dns.getServersList()) {
            out.append("nameserver ").append(server).append('\n');
        }
        if (dns.getOptionsCount() > 0) {
            out.append("options ").append(String.join(" ", dns.getOptionsList())).append('\n');
        }
        return out.toString();
    }

    private static String readOr(Path file, String fallback) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : fallback;
    }
}
