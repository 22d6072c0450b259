package dev.berth.runtime.cgroup;

import java.nio.file.Path;

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
        long cpu = cpu(path);
        MemoryUsage memory = memory(path);
        long processes = processes(path);
        return new CgroupUsage(cpu, memory.workingSet(), memory.usage(), memory.rss(), memory.pageFaults(),
                memory.majorPageFaults(), memory.swap(), processes);
    }

    /** v1 accounts CPU time in cpuacct; v2 in every cgroup's cpu.stat, with or without the cpu controller. */
    private long cpu(CgroupPath path) {
        Path v1Root = layout.v1Controllers().get("cpuacct");
        if (v1Root != null) {
            return v1.cpu(path.under(v1Root));
        }
        return layout.unifiedMount() == null ? 0 : v2.cpu(path.under(layout.unifiedMount()));
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
        Path v1Root = layout.v1Controllers().get("pids");
        if (v1Root != null) {
            return v1.pids(path.under(v1Root));
        }
        if (layout.unifiedControllers().contains("pids")) {
            return v2.pids(path.under(layout.unifiedMount()));
        }
        return files.lines(path.under(layout.hierarchies().get(0)), "cgroup.procs");
    }
}
