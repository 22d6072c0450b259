package dev.berth.cni;

import java.util.Locale;
import java.util.Objects;

/**
 * A host port forwarded to a pod port, passed to plugins with the {@code portMappings}
 * capability (the CNI {@code portmap} plugin).
 *
 * @param hostPort port on the host, 1..65535
 * @param containerPort port inside the pod, 1..65535
 * @param protocol {@code tcp}, {@code udp} or {@code sctp} (any case; stored lowercase)
 * @param hostIP host address to bind, or empty for all
 */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {
    public PortMapping {
        if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("ports must be 1..65535: hostPort " + hostPort + ", containerPort " + containerPort);
        }
        protocol = Objects.requireNonNullElse(protocol, "tcp").toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
            throw new IllegalArgumentException("protocol must be tcp, udp or sctp: " + protocol);
        }
        hostIP = Objects.requireNonNullElse(hostIP, "");
    }
}
