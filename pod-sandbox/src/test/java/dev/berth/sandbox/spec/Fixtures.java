package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerMetadata;
import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import java.nio.file.Path;

/** CRI container configs and sandboxes for the spec tests. */
final class Fixtures {
    static final HostFacts HOST = new HostFacts(false, false, "node-1", Path.of("/dev"));

    private Fixtures() {}

    static ContainerConfig.Builder config(String name) {
        return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name));
    }

    static ContainerConfig withSecurity(ContainerConfig.Builder config, LinuxContainerSecurityContext.Builder sc) {
        return config.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(sc)).build();
    }

    static NamespaceOption namespaces(NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) {
        return NamespaceOption.newBuilder().setNetwork(network).setPid(pid).setIpc(ipc).build();
    }

    /** A pod with its own network namespace and pause pid 4242, no /etc files or shm dir. */
    static SandboxView sandbox() {
        return new SandboxView("sb1", 4242, "/run/berth/netns/sb1", namespaces(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.POD),
                null, null, null, null, "", "web-0");
    }

    static SandboxView hostNetworkSandbox() {
        return new SandboxView("sb1", 4242, null, namespaces(NamespaceMode.NODE, NamespaceMode.POD, NamespaceMode.POD),
                null, null, null, null, "", "");
    }
}
