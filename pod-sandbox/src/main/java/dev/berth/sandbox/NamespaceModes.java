package dev.berth.sandbox;

import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import java.util.Objects;

/**
 * The pod's namespace options as asked by kubelet (CRI {@code NamespaceOption}), kept in the
 * record so status can report them and containers can join the right namespaces later.
 *
 * @param network POD (own netns from CNI) or NODE (host network)
 * @param pid POD (containers share the sandbox's), CONTAINER (each its own) or NODE (host)
 * @param ipc POD or NODE
 */
public record NamespaceModes(String network, String pid, String ipc, String targetId) {
    public NamespaceModes {
        network = Objects.requireNonNullElse(network, NamespaceMode.POD.name());
        pid = Objects.requireNonNullElse(pid, NamespaceMode.POD.name());
        ipc = Objects.requireNonNullElse(ipc, NamespaceMode.POD.name());
        targetId = Objects.requireNonNullElse(targetId, "");
    }

    static NamespaceModes of(NamespaceOption option) {
        return new NamespaceModes(option.getNetwork().name(), option.getPid().name(), option.getIpc().name(), option.getTargetId());
    }

    boolean hostNetwork() {
        return NamespaceMode.NODE.name().equals(network);
    }

    boolean hostPid() {
        return NamespaceMode.NODE.name().equals(pid);
    }

    boolean hostIpc() {
        return NamespaceMode.NODE.name().equals(ipc);
    }

    NamespaceOption toProto() {
        return NamespaceOption.newBuilder()
                .setNetwork(NamespaceMode.valueOf(network))
                .setPid(NamespaceMode.valueOf(pid))
                .setIpc(NamespaceMode.valueOf(ipc))
                .setTargetId(targetId)
                .build();
    }
}
