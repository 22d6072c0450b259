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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * PodSandboxStats and ListPodSandboxStats: the pod's CPU, memory and processes are the sums
 * over its pause process and its containers (every cgroup Berth made for the pod, whether or
 * not kubelet gave a parent); its CPU rate is the sum of theirs when each has one. Network
 * counters are read in the pod's namespace through the pause process's /proc/<pid>/net/dev,
 * eth0 being the default interface as CNI names it. Readings come from the shared {@link StatsCache}.
 */
final class SandboxStatsQueries {
    static final String DEFAULT_INTERFACE = "eth0";

    private final SandboxEnv env;
    private final ContainerStatsQueries containers;
    private final StatsCache cache;

    SandboxStatsQueries(SandboxEnv env, ContainerStatsQueries containers) {
        this.env = env;
        this.containers = containers;
        this.cache = containers.cache();
    }

    PodSandboxStats stats(SandboxRecord sandbox) {
        long now = env.nowNanos();
        List<StatsCache.Sample> samples = new ArrayList<>();
        List<ContainerStats> members = new ArrayList<>();
        for (ContainerRecord record : env.containersOf(sandbox.id()).stream()
                .sorted(Comparator.comparingLong(ContainerRecord::createdAtNanos)).toList()) {
            StatsCache.Sample sample = cache.sampleOrNull(record.id());
            if (sample != null) {
                samples.add(sample);
                members.add(containers.stats(record, sample));
            }
        }
        StatsCache.Sample pause = cache.sampleOrNull(sandbox.id()); // a pause container gone: the containers still count
        if (pause != null) {
            samples.add(pause);
        }
        long cpu = 0;
        long workingSet = 0;
        long usage = 0;
        long rss = 0;
        long faults = 0;
        long majorFaults = 0;
        long processes = 0;
        long nanoCores = 0;
        boolean rated = !samples.isEmpty();
        for (StatsCache.Sample sample : samples) {
            ContainerUsage u = sample.usage();
            cpu += u.cpuUsageNanos();
            workingSet += u.memoryWorkingSetBytes();
            usage += u.memoryUsageBytes();
            rss += u.memoryRssBytes();
            faults += u.memoryPageFaults();
            majorFaults += u.memoryMajorPageFaults();
            processes += u.processes();
            nanoCores += sample.nanoCores();
            rated &= sample.hasRate();
        }
        CpuUsage.Builder podCpu = CpuUsage.newBuilder().setTimestamp(now).setUsageCoreNanoSeconds(u64(cpu));
        if (rated) {
            podCpu.setUsageNanoCores(u64(nanoCores));
        }
        LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder()
                .setCpu(podCpu)
                .setMemory(MemoryUsage.newBuilder().setTimestamp(now).setWorkingSetBytes(u64(workingSet)).setUsageBytes(u64(usage))
                        .setRssBytes(u64(rss)).setPageFaults(u64(faults)).setMajorPageFaults(u64(majorFaults)))
                .setProcess(ProcessUsage.newBuilder().setTimestamp(now).setProcessCount(u64(processes)))
                .addAllContainers(members);
        if (pause != null && !sandbox.namespaces().hostNetwork()) {
            linux.setNetwork(network(cache.network(sandbox)));
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

    private static NetworkUsage network(StatsCache.Network reading) {
        NetworkUsage.Builder net = NetworkUsage.newBuilder().setTimestamp(ContainerStates.nanos(reading.at()));
        List<NetworkInterfaceUsage> all = new ArrayList<>();
        for (NetDevStats.Interface i : reading.interfaces()) {
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
