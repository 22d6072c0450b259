package dev.berth.cni;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link PodNetwork#setUp} needs about a pod.
 *
 * @param podId the sandbox id; becomes CNI_CONTAINERID and K8S_POD_INFRA_CONTAINER_ID, and names
 *     the namespace pin and cache file, so it must match the CNI container id grammar
 * @param namespace Kubernetes namespace of the pod (K8S_POD_NAMESPACE)
 * @param name pod name (K8S_POD_NAME)
 * @param uid pod UID (K8S_POD_UID)
 * @param portMappings host ports, for plugins with the {@code portMappings} capability
 * @param dns DNS settings for plugins with the {@code dns} capability, or null
 * @param bandwidth traffic limits for plugins with the {@code bandwidth} capability, or null
 */
public record PodNetworkRequest(
        String podId,
        String namespace,
        String name,
        String uid,
        List<PortMapping> portMappings,
        DnsConfig dns,
        BandwidthLimits bandwidth) {

    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,254}");
    private static final Pattern ARG_VALUE = Pattern.compile("[^;=\\s]*");

    public PodNetworkRequest {
        requireValidPodId(podId);
        namespace = Objects.requireNonNullElse(namespace, "");
        name = Objects.requireNonNullElse(name, "");
        uid = Objects.requireNonNullElse(uid, "");
        for (String value : List.of(namespace, name, uid)) {
            if (!ARG_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("pod namespace, name and uid must not contain ';', '=' or spaces: " + value);
            }
        }
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
    }

    /** A request with only the identity of the pod: no ports, DNS or bandwidth. */
    public static PodNetworkRequest of(String podId, String namespace, String name, String uid) {
        return new PodNetworkRequest(podId, namespace, name, uid, List.of(), null, null);
    }

    /** CNI_ARGS for this pod, the keys kubelet's dockershim and containerd pass. */
    String cniArgs() {
        return "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + namespace + ";K8S_POD_NAME=" + name
                + ";K8S_POD_INFRA_CONTAINER_ID=" + podId + ";K8S_POD_UID=" + uid;
    }

    static void requireValidPodId(String podId) {
        if (podId == null || !CONTAINER_ID.matcher(podId).matches()) {
            throw new IllegalArgumentException("pod id must start with a letter or digit and hold only letters, digits, '_', '.' and '-' (CNI container id): " + podId);
        }
    }
}
