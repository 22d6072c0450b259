/* Which namespaces a container gets: new ones (clone flags) and joined ones (paths). */
#ifndef BERTH_NAMESPACES_H
#define BERTH_NAMESPACES_H

#include <sys/types.h>

#include "plan.h"

struct ns_join {
    int type; /* CLONE_NEW* */
    int fd;
};

struct ns_setup {
    int new_flags;           /* created by clone (cgroup: by unshare after joining the cgroup) */
    struct ns_join join[8];  /* opened before clone, entered in the child, user first */
    int njoin;
};

/* Reads "ns <type> [path]" records; opens every path now, so a bad path fails create early. */
int ns_plan(const struct plan *plan, struct ns_setup *ns);
/* Enters joined namespaces of the given type (0 = every type but pid). */
int ns_enter(struct ns_setup *ns, int only_type);
/* Writes uid_map/gid_map of a child in a new user namespace. */
int ns_write_id_maps(const struct plan *plan, pid_t child);
int ns_flag_of(const char *name);

#endif
