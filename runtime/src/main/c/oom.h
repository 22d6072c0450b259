/* What the kernel's OOM killer did in a container's memory cgroup, and whose limit made it run. */
#ifndef BERTH_OOM_H
#define BERTH_OOM_H

#include "plan.h"

struct oom_counts {
    long long events;        /* v2: the container cgroup reached its own limit ("oom" in its memory.events) */
    long long kills;         /* processes the OOM killer took: "oom_kill" in v2 memory.events and v1 memory.oom_control */
    long long parent_events; /* v2: the parent reached its own limit ("oom" in its memory.events.local) */
};

/* Whose memory limit made the OOM killer run. */
enum oom_limit {
    OOM_LIMIT_CONTAINER, /* the container's own cgroup */
    OOM_LIMIT_PARENT,    /* its parent cgroup (the pod's) */
    OOM_LIMIT_OTHER      /* neither: a limit higher up, or the whole node ran out of memory */
};

/*
 * cgroup v1 tells of an OOM only through eventfds registered on memory.oom_control, and an OOM
 * there notifies the cgroup whose limit was reached and every cgroup below it. One eventfd each on
 * the container's cgroup, its parent and its grandparent (-1 where none could be registered)
 * tells them apart: the highest that heard of an OOM is where the limit was reached.
 */
struct oom_watch {
    int container, parent, grandparent;
};

/* Sums the counters of the plan's cgroup directories; a hierarchy without them adds nothing. */
void oom_read(const struct plan *plan, struct oom_counts *out);

/* Registers the v1 eventfds (non-blocking, close-on-exec); on a v2-only host all stay -1. */
void oom_watch_open(const struct plan *plan, struct oom_watch *watch);

/* Whether the OOM killer struck between two readings, given how the init ended (a wait status). */
int oom_killed(const struct oom_counts *before, const struct oom_counts *after, int status);

/* Whose limit fired, from the v2 counters or, on v1, the eventfds (read here without blocking). */
enum oom_limit oom_which(const struct oom_counts *before, const struct oom_counts *after, const struct oom_watch *watch);

/* The memory limit in bytes of that cgroup (v1 memory.limit_in_bytes, v2 memory.max); 0 when unlimited or unknown. */
long long oom_limit_bytes(const struct plan *plan, enum oom_limit which);

/* The word the exit file records for it. */
const char *oom_limit_name(enum oom_limit which);

#endif
