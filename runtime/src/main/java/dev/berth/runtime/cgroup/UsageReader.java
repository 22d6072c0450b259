package dev.berth.runtime.cgroup;

import dev.berth.runtime.UsageDetail;
import java.nio.file.Path;
import java.util.Map;

/**
 * A cgroup's usage on any layout: each controller is read from the hierarchy the layout puts it in
 * (a v1 hierarchy, else the cgroup2 mount), the same rule limits are written by, so a hybrid host
 * gives cpu and memory from v1 and whatever v2 holds from v2.
 */
final class UsageReader {
    private final CgroupLayout layout;
    private final UsageFiles files;
    private final V1Usage v1;
    private final V2Usage v2;

    UsageReader(CgroupLayout layout, CgroupFs fs) {
        this.layout = layout;
        this.files = new UsageFiles(fs);
        this.v1 = new V1Usage(files);
        this.v2 = new V2Usage(files);
    }

    CgroupUsage read(CgroupPath path) {
        CpuUsage cpu = cpu(path);
        MemoryUsage memory = memory(path);
        long processes = processes(path);
        Path pids = pidsDir(path);
        UsageDetail detail = new UsageDetail(cpu.user(), cpu.system(), cpu.periods(), cpu.throttledPeriods(), cpu.throttledNanos(),
                memory.cache(), memory.mappedFile(), memory.maxUsage(), memory.failcnt(), memory.oomKills(),
                pids == null ? 0 : processes, pids == null ? 0 : files.limit(pids, "pids.max"));
        return new CgroupUsage(cpu.total(), memory.workingSet(), memory.usage(), memory.rss(), memory.pageFaults(),
                memory.majorPageFaults(), memory.swap(), processes, detail);
    }

    /**
     * v1 accounts CPU time in cpuacct and throttles in cpu (often co-mounted); v2 has both in every
     * cgroup's cpu.stat (throttling only with the cpu controller enabled), read once when needed.
     */
    private CpuUsage cpu(CgroupPath path) {
        Path cpuacct = layout.v1Controllers().get("cpuacct");
        Path cpu = layout.v1Controllers().get("cpu");
        Map<String, Long> v2Stat = (cpuacct == null || cpu == null) && layout.unifiedMount() != null
                ? v2.cpuStat(path.under(layout.unifiedMount()))
                : Map.of();
        CpuUsage.Times times = cpuacct != null ? v1.cpu(path.under(cpuacct)) : V2Usage.times(v2Stat);
        CpuUsage.Throttling throttling = cpu != null ? v1.throttling(path.under(cpu)) : V2Usage.throttling(v2Stat);
        return CpuUsage.of(times, throttling);
    }

    private MemoryUsage memory(CgroupPath path) {
        Path v1Root = layout.v1Controllers().get("memory");
        if (v1Root != null) {
            return v1.memory(path.under(v1Root));
        }
        return layout.unifiedControllers().contains("memory") ? v2.memory(path.under(layout.unifiedMount())) : MemoryUsage.NONE;
    }

    /** Without a pids controller anywhere, the processes listed in the cgroup (any hierarchy holds them all). */
    private long processes(CgroupPath path) {
        Path pids = pidsDir(path);
        return pids != null ? files.number(pids, "pids.current") : files.lines(path.under(layout.hierarchies().get(0)), "cgroup.procs");
    }

    /** The cgroup's directory in the hierarchy of the pids controller; null when the host has none. */
    private Path pidsDir(CgroupPath path) {
        Path v1Root = layout.v1Controllers().get("pids");
        if (v1Root != null) {
            return path.under(v1Root);
        }
        return layout.unifiedControllers().contains("pids") ? path.under(layout.unifiedMount()) : null;
    }
}
