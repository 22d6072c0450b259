/* What the kernel's OOM killer did in a container's memory cgroup, read from its counters. */
#ifndef BERTH_OOM_H
#define BERTH_OOM_H

#include "plan.h"

struct oom_counts {
    long long events; /* the cgroup hit its limit and the OOM killer ran (v2 memory.events "oom") */
    long long kills;  /* processes it killed: "oom_kill" in v2 memory.events and v1 memory.oom_control */
};

/* Sums the counters of the plan's cgroup directories; a hierarchy without them adds nothing. */
void oom_read(const struct plan *plan, struct oom_counts *out);

/* Whether the OOM killer struck between two readings, given how the init ended (a wait status). */
int oom_killed(const struct oom_counts *before, const struct oom_counts *after, int status);

#endif
