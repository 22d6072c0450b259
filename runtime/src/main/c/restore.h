/*
 * A container created from a checkpoint: instead of cloning an init, the monitor runs
 * `criu restore --restore-detached` as its child when the container is started. The plan says
 * how (records written by the daemon's CriuRestore):
 *
 *   restore ARGV...          criu's argv, argv[0] an absolute path
 *   restore_fd FD PATH       a file (a namespace to join) criu gets open on FD (6 and up)
 *   restore_pidfile PATH     where criu writes the restored init's pid (its --pidfile)
 *   restore_out PATH         criu's own stdout and stderr
 *   restore_uts NS IMAGE...  the UTS images to rewrite with the names of the joined namespace NS
 *
 * criu gets the container's stdin, stdout and stderr on fds 3, 4 and 5 (the daemon names them
 * in --inherit-fd). It runs in the container's cgroups (and cgroup namespace, when the plan makes
 * one), so the restored processes start there. The restored tree is criu's child; when criu exits
 * it is re-parented to the monitor, a subreaper, which then watches it as the container's init.
 */
#ifndef BERTH_RESTORE_H
#define BERTH_RESTORE_H

#include <sys/types.h>

#include "plan.h"

/* Forks criu restore with the container's stdio; returns criu's pid, or -1 with shim_error set. */
pid_t restore_spawn(const struct plan *plan, int in, int out, int err);
/* Reads the restored init's pid from the pid file criu wrote; -1 with shim_error set when there is none. */
int restore_read_pid(const struct plan *plan, pid_t *pid);

#endif
