/* The per-container shim process: starts the init, holds its stdio and logs, serves control requests. */
#ifndef BERTH_MONITOR_H
#define BERTH_MONITOR_H

#include "plan.h"

/*
 * Runs in the daemonized shim: creates the container's init, reports "ok <pid>" or
 * "error <reason>" on report_fd, then serves the container until it exits and its exit
 * status is in <dir>/exit. Returns the process exit code.
 */
int monitor_run(const char *dir, const struct plan *plan, int report_fd);

#endif
