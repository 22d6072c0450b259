package dev.berth.sandbox;

import static dev.berth.sandbox.ContainerStatsQueries.u64;

import dev.berth.cri.api.v1.ContainerStats;
import dev.berth.cri.api.v1.CpuUsage;
import dev.berth.cri.api.v1.LinuxPodSandboxStats;
import dev.berth.cri.api.v1.MemoryUsage;
import dev.berth.cri.api.v1.NetworkInterfaceUsage;
import dev.berth.cri.api.v1.NetworkUsage;
import dev.berth.cri.api.v1.PodSandboxAttributes;
import dev.berth.cri.api.v1.PodSandboxStats;
import dev.berth.cri.api.v1.PodSandboxStatsFilter;
import dev.berth.cri.api.v1.ProcessUsage;
import dev.berth.runtime.ContainerUsage;
import dev.berth.runtime.NoSuchContainerException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * PodSandboxStats and ListPodSandboxStats: the pod's CPU, memory and processes are the sums
 * over its pause process and its containers (every cgroup Berth made for the pod, whether or
 * not kubelet gave a parent); network counters are read in the pod's namespace through the
 * pause process's /proc/<pid>/net/dev, eth0 being the default interface as CNI names it.
 */
final class SandboxStatsQueries {
    static final String DEFAULT_INTERFACE = "eth0";

    private final SandboxEnv env;
    private final ContainerStatsQueries containers;

    SandboxStatsQueries(SandboxEnv env, ContainerStatsQueries containers) {
        this.env = env;
        this.containers = containers;
    }

    PodSandboxStats stats(SandboxRecord sandbox) {
        long now = env.nowNanos();
        List<ContainerStats> members = env.containersOf(sandbox.id()).stream()
                .sorted(Comparator.comparingLong(ContainerRecord::createdAtNanos))
                .map(containers::statsOrNull)
                .filter(java.util.Objects::nonNull)
                .toList();
        long cpu = 0;
        long workingSet = 0;
        long usage = 0;
        long rss = 0;
        long faults = 0;
        long majorFaults = 0;
        long processes = 0;
        long pausePid = 0;
        try {
            ContainerUsage pause = env.runtime().usage(sandbox.id());
            cpu += pause.cpuUsageNanos();
            workingSet += pause.memoryWorkingSetBytes();
            usage += pause.memoryUsageBytes();
            rss += pause.memoryRssBytes();
            faults += pause.memoryPageFaults();
            majorFaults += pause.memoryMajorPageFaults();
            processes += pause.processes();
            pausePid = env.runtime().state(sandbox.id()).pid();
        } catch (NoSuchContainerException | UncheckedIOException e) {
            // a pause container gone: the containers still count
        }
        for (ContainerStats c : members) {
            cpu += c.getCpu().getUsageCoreNanoSeconds().getValue();
            workingSet += c.getMemory().getWorkingSetBytes().getValue();
            usage += c.getMemory().getUsageBytes().getValue();
            rss += c.getMemory().getRssBytes().getValue();
            faults += c.getMemory().getPageFaults().getValue();
            majorFaults += c.getMemory().getMajorPageFaults().getValue();
        }
        processes += members.stream().mapToLong(c -> containers.processesOf(c.getAttributes().getId())).sum();
        LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder()
                .setCpu(CpuUsage.newBuilder().setTimestamp(now).setUsageCoreNanoSeconds(u64(cpu)))
                .setMemory(MemoryUsage.newBuilder().setTimestamp(now).setWorkingSetBytes(u64(workingSet)).setUsageBytes(u64(usage))
                        .setRssBytes(u64(rss)).setPageFaults(u64(faults)).setMajorPageFaults(u64(majorFaults)))
                .setProcess(ProcessUsage.newBuilder().setTimestamp(now).setProcessCount(u64(processes)))
                .addAllContainers(members);
        if (pausePid > 0 && !sandbox.namespaces().hostNetwork()) {
            linux.setNetwork(network(now, NetDevStats.read(Path.of("/proc", Long.toString(pausePid), "net", "dev"))));
        }
        return PodSandboxStats.newBuilder()
                .setAttributes(PodSandboxAttributes.newBuilder()
                        .setId(sandbox.id())
                        .setMetadata(SandboxQueries.metadata(sandbox))
                        .putAllLabels(sandbox.labels())
                        .putAllAnnotations(sandbox.annotations()))
                .setLinux(linux)
                .build();
    }

    List<PodSandboxStats> list(PodSandboxStatsFilter filter) {
        return env.store().all().stream()
                .filter(r -> filter == null || filter.getId().isEmpty() || r.id().startsWith(filter.getId()))
                .filter(r -> filter == null
                        || filter.getLabelSelectorMap().entrySet().stream().allMatch(e -> e.getValue().equals(r.labels().get(e.getKey()))))
                .filter(r -> r.state() == SandboxState.READY)
                .sorted(Comparator.comparingLong(SandboxRecord::createdAtNanos))
                .map(this::stats)
                .toList();
    }

    private static NetworkUsage network(long now, List<NetDevStats.Interface> interfaces) {
        NetworkUsage.Builder net = NetworkUsage.newBuilder().setTimestamp(now);
        List<NetworkInterfaceUsage> all = new ArrayList<>();
        for (NetDevStats.Interface i : interfaces) {
            NetworkInterfaceUsage usage = NetworkInterfaceUsage.newBuilder().setName(i.name()).setRxBytes(u64(i.rxBytes()))
                    .setRxErrors(u64(i.rxErrors())).setTxBytes(u64(i.txBytes())).setTxErrors(u64(i.txErrors())).build();
            if (i.name().equals(DEFAULT_INTERFACE)) {
                net.setDefaultInterface(usage);
            } else {
                all.add(usage);
            }
        }
        return net.addAllInterfaces(all).build();
    }
}
