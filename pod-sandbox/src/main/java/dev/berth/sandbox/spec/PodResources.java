package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pod's {@code LinuxPodSandboxConfig.resources} (kubelet sends the sum of its containers'
 * resources there) and {@code overhead} (the RuntimeClass's pod overhead), and the limits of a
 * pod cgroup from them: resources plus overhead, as kubelet sizes the pod cgroups it makes.
 *
 * <p>{@code resources} decides whether there is a limit at all (containers without a limit make
 * a pod without one, so overhead alone makes none); overhead is added to the memory limit, the
 * memory+swap limit, the CPU shares, the CPU quota (scaled to the resources' period) and each
 * hugepage limit. cpuset and {@code unified} come from {@code resources} only: overhead is an
 * amount, not a placement. {@code oom_score_adj} belongs to processes, not to a pod's cgroup.
 */
public final class PodResources {
    static final long DEFAULT_PERIOD = 100_000;
    static final long MAX_SHARES = 262_144;

    private PodResources() {}

    /** One of the two checked and converted as given (no swap added); {@code field} names it in messages. Null for null. */
    public static Spec.Resources of(LinuxContainerResources r, String field) throws SpecException {
        return ContainerResources.parse(r, field + ".");
    }

    /** The pod cgroup's limits; null when neither gives any. */
    public static Spec.Resources limits(Spec.Resources resources, Spec.Resources overhead) {
        if (resources == null) {
            return null;
        }
        Spec.Resources o = overhead == null ? new Spec.Resources(null, null, null, null, null) : overhead;
        Spec.Memory memory = memory(resources.memory(), o.memory());
        Spec.Cpu cpu = cpu(resources.cpu(), o.cpu());
        List<Spec.HugepageLimit> hugepages = hugepages(resources.hugepageLimits(), o.hugepageLimits());
        if (memory == null && cpu == null && hugepages == null && resources.unified() == null) {
            return null;
        }
        return new Spec.Resources(memory, cpu, null, hugepages, resources.unified());
    }

    /** The same limits with no memory limit and no CPU quota made explicit (-1), so an update lifts what is no longer given. */
    public static Spec.Resources unlimitedWhereUnset(Spec.Resources limits) {
        if (limits == null) {
            return new Spec.Resources(new Spec.Memory(-1L, null, null, null, null), new Spec.Cpu(null, -1L, null, null, null), null,
                    null, null);
        }
        Spec.Memory m = limits.memory();
        Spec.Memory memory = m == null ? new Spec.Memory(-1L, null, null, null, null)
                : m.limit() == null ? new Spec.Memory(-1L, null, m.swap(), null, null) : m;
        Spec.Cpu c = limits.cpu();
        Spec.Cpu cpu = c == null ? new Spec.Cpu(null, -1L, null, null, null)
                : c.quota() == null ? new Spec.Cpu(c.shares(), -1L, c.period(), c.cpus(), c.mems()) : c;
        return new Spec.Resources(memory, cpu, limits.pids(), limits.hugepageLimits(), limits.unified());
    }

    private static Spec.Memory memory(Spec.Memory r, Spec.Memory o) {
        if (r == null) {
            return null;
        }
        long overheadMemory = positive(o == null ? null : o.limit());
        long overheadTotal = o != null && positive(o.swap()) > 0 ? o.swap() : overheadMemory;
        Long limit = plus(r.limit(), overheadMemory);
        Long swap = plus(r.swap(), overheadTotal);
        return limit == null && swap == null ? null : new Spec.Memory(limit, null, swap, null, null);
    }

    private static Spec.Cpu cpu(Spec.Cpu r, Spec.Cpu o) {
        if (r == null) {
            return null;
        }
        Long shares = r.shares();
        if (o != null && positive(o.shares()) > 0) {
            shares = Math.min(MAX_SHARES, positive(shares) + o.shares());
        }
        Long quota = r.quota();
        if (quota != null && quota > 0 && o != null && positive(o.quota()) > 0) {
            long period = r.period() == null ? DEFAULT_PERIOD : r.period();
            long overheadPeriod = o.period() == null ? DEFAULT_PERIOD : o.period();
            quota = quota + (long) Math.ceil((double) o.quota() * period / overheadPeriod);
        }
        return new Spec.Cpu(shares, quota, r.period(), r.cpus(), r.mems());
    }

    private static List<Spec.HugepageLimit> hugepages(List<Spec.HugepageLimit> r, List<Spec.HugepageLimit> o) {
        if (r == null) {
            return null;
        }
        Map<String, Long> extra = new TreeMap<>();
        if (o != null) {
            o.forEach(h -> extra.merge(h.pageSize(), h.limit(), Long::sum));
        }
        List<Spec.HugepageLimit> out = new ArrayList<>();
        for (Spec.HugepageLimit h : r) {
            out.add(new Spec.HugepageLimit(h.pageSize(), h.limit() + extra.getOrDefault(h.pageSize(), 0L)));
        }
        return List.copyOf(out);
    }

    /** A limit plus an amount: unset (null) and unlimited (-1) stay as they are. */
    private static Long plus(Long limit, long amount) {
        if (limit == null || limit < 0) {
            return limit;
        }
        return limit + amount;
    }

    private static long positive(Long value) {
        return value == null || value < 0 ? 0 : value;
    }
}
