package dev.berth.sandbox;

import dev.berth.cri.api.v1.LinuxPodSandboxStatus;
import dev.berth.cri.api.v1.Namespace;
import dev.berth.cri.api.v1.PodIP;
import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.PodSandboxFilter;
import dev.berth.cri.api.v1.PodSandboxMetadata;
import dev.berth.cri.api.v1.PodSandboxNetworkStatus;
import dev.berth.cri.api.v1.PodSandboxState;
import dev.berth.cri.api.v1.PodSandboxStatus;
import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PodSandboxStatus and ListPodSandbox. A sandbox is reported READY only when its record says READY
 * and its pause process is running: a pause process that died (OOM, killed by hand) makes the
 * pod NOTREADY, so kubelet recreates it.
 */
final class SandboxQueries {
    private final SandboxEnv env;

    SandboxQueries(SandboxEnv env) {
        this.env = env;
    }

    PodSandboxStatus status(String id) {
        SandboxRecord record = env.store().get(id).orElseThrow(() -> SandboxException.notFound(id));
        PodSandboxStatus.Builder status = PodSandboxStatus.newBuilder()
                .setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record))
                .setCreatedAt(record.createdAtNanos())
                .setLinux(LinuxPodSandboxStatus.newBuilder()
                        .setNamespaces(Namespace.newBuilder().setOptions(record.namespaces().toProto())))
                .putAllLabels(record.labels())
                .putAllAnnotations(record.annotations())
                .setRuntimeHandler(record.runtimeHandler());
        PodSandboxNetworkStatus.Builder network = PodSandboxNetworkStatus.newBuilder();
        if (!record.ips().isEmpty()) {
            network.setIp(record.ips().getFirst());
            record.ips().stream().skip(1).forEach(ip -> network.addAdditionalIps(PodIP.newBuilder().setIp(ip)));
        }
        return status.setNetwork(network).build();
    }

    List<PodSandbox> list(PodSandboxFilter filter) {
        Set<String> running = runningPauses();
        return env.store().all().stream()
                .filter(r -> SandboxFilters.matches(filter, r, state(r, running)))
                .sorted(Comparator.comparingLong(SandboxRecord::createdAtNanos).thenComparing(SandboxRecord::id))
                .map(r -> PodSandbox.newBuilder()
                        .setId(r.id())
                        .setMetadata(metadata(r))
                        .setState(state(r, running))
                        .setCreatedAt(r.createdAtNanos())
                        .putAllLabels(r.labels())
                        .putAllAnnotations(r.annotations())
                        .setRuntimeHandler(r.runtimeHandler())
                        .build())
                .toList();
    }

    private Set<String> runningPauses() {
        return env.runtime().list().stream()
                .filter(c -> c.status() == ContainerStatus.RUNNING)
                .map(ContainerState::id)
                .collect(Collectors.toSet());
    }

    /** One sandbox's state: its own pause process asked, not every container's. */
    private PodSandboxState state(SandboxRecord record) {
        if (record.state() != SandboxState.READY) {
            return PodSandboxState.SANDBOX_NOTREADY;
        }
        try {
            return env.runtime().state(record.id()).status() == ContainerStatus.RUNNING
                    ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
        } catch (dev.berth.runtime.NoSuchContainerException e) {
            return PodSandboxState.SANDBOX_NOTREADY;
        }
    }

    static PodSandboxState state(SandboxRecord record, Set<String> runningPauses) {
        return record.state() == SandboxState.READY && runningPauses.contains(record.id())
                ? PodSandboxState.SANDBOX_READY
                : PodSandboxState.SANDBOX_NOTREADY;
    }

    static PodSandboxMetadata metadata(SandboxRecord r) {
        return PodSandboxMetadata.newBuilder().setName(r.name()).setNamespace(r.namespace()).setUid(r.uid()).setAttempt(r.attempt()).build();
    }
}
