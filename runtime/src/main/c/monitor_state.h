/* The shim monitor's state, shared by monitor.c and monitor_restore.c (not part of the monitor's interface). */
#ifndef BERTH_MONITOR_STATE_H
#define BERTH_MONITOR_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "attach.h"
#include "logging.h"
#include "oom.h"
#include "plan.h"

#define MAX_CLIENTS 32
struct client {
    int fd;
    int waiting; /* asked "wait": answered when the container exits */
    size_t len;
    char buf[256];
};

struct monitor {
    const char *dir;
    const struct plan *plan;
    pid_t init;
    int sync;
    int started, exited, exec_failed;
    int status;
    int64_t exited_at;
    struct oom_counts oom_before; /* the cgroup's counters before the init existed */
    struct oom_watch oom_watch;   /* v1: whose limit an OOM reached */
    /* From a checkpoint: criu restores the init at start; until then the container's stdio ends wait here. */
    int restoring;
    pid_t criu;
    int child_in, child_out, child_err;
    pid_t orphan;      /* a child reaped before criu's pid file named it the init */
    int orphan_status;
    struct logger log;
    struct log_stream out, err;
    int out_fd, err_fd; /* -1 once at EOF */
    int listen_fd, sig_fd;
    struct client clients[MAX_CLIENTS];
    int start_client; /* client waiting for the start result, or -1 */
    struct attach attach;
};

/* <dir>/<name> of the container's state directory. */
void monitor_path(const struct monitor *m, const char *name, char *out, size_t size);
void client_reply(struct client *c, const char *text);
void monitor_mark_exited(struct monitor *m, int status);
/* The init's host pid into <dir>/pid; -1 on failure (shim_error set). */
int monitor_write_pid(struct monitor *m, pid_t pid);
void monitor_write_started(struct monitor *m);

/* A container created from a checkpoint (restore.h): criu brings its init back at "start". */
void monitor_start_restore(struct monitor *m, int client);
/* criu exited: on success its pid file names the restored init, re-parented to the monitor. */
void monitor_restored(struct monitor *m, int status);
/* Killed before (or while) criu brought it back: it ends with the signal. */
void monitor_end_unrestored(struct monitor *m, int sig);

#endif
