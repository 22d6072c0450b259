package dev.berth.sandbox;

import dev.berth.cri.api.v1.DNSConfig;
import dev.berth.cri.api.v1.LinuxPodSandboxConfig;
import dev.berth.cri.api.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxMetadata;

/** CRI pod configs for tests. */
final class Pods {
    private Pods() {}

    static PodSandboxConfig config(String name, int attempt) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid("uid-" + name).setAttempt(attempt))
                .setHostname(name)
                .setLogDirectory("/var/log/pods/default_" + name)
                .putLabels("app", name)
                .putAnnotations("note", "hello")
                .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10").addSearches("default.svc.cluster.local")
                        .addOptions("ndots:5"))
                .build();
    }

    static PodSandboxConfig withNamespaces(PodSandboxConfig config, NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) {
        return config.toBuilder()
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(network).setPid(pid).setIpc(ipc))))
                .build();
    }
}
