/* The container process's identity and limits, applied in the init (or exec) just before execve. */
#ifndef BERTH_PROCESS_H
#define BERTH_PROCESS_H

#include "plan.h"

/* Hostname, domain name and sysctls: inside the new namespaces, before privileges drop. */
int process_configure_namespaces(const struct plan *plan);
/* rlimits and oom_score_adj (clamped to the current value when the kernel refuses a lower one). */
int process_apply_limits(const struct plan *plan);
/* Joins the cgroup directories named by "cgroup" records (writes our pid to cgroup.procs). */
int process_join_cgroups(const struct plan *plan);
/* cwd, umask, groups, uid/gid, capabilities, no_new_privs, seccomp, fds: then execve. Returns only on failure. */
int process_exec(const struct plan *plan);
/* The same steps up to execve, for the pause process, which stays in the shim's code. */
int process_drop_privileges(const struct plan *plan);

#endif
