/* The monitor of a container created from a checkpoint: criu restore runs at start (restore.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monitor_state.h"
#include "restore.h"
#include "util.h"

/* The container's ends of its stdio pipes, kept for criu until it has them. */
static void close_child_stdio(struct monitor *m) {
    int *fds[] = {&m->child_in, &m->child_out, &m->child_err};
    for (int i = 0; i < 3; i++)
        if (*fds[i] >= 0) {
            close(*fds[i]);
            *fds[i] = -1;
        }
}

/* A restored container killed before (or while) criu brought it back: it ends with the signal. */
void monitor_end_unrestored(struct monitor *m, int sig) {
    if (m->criu > 0)
        kill(m->criu, SIGKILL); /* a half-restored tree is in the container cgroup: delete kills it there */
    monitor_mark_exited(m, sig & 0x7f);
    close_child_stdio(m);
}

void monitor_start_restore(struct monitor *m, int idx) {
    struct client *c = &m->clients[idx];
    if (m->started || m->exited) {
        client_reply(c, m->exited ? "error the container has exited\n" : "error the container is already started\n");
        return;
    }
    m->criu = restore_spawn(m->plan, m->child_in, m->child_out, m->child_err);
    if (m->criu < 0) {
        char text[sizeof shim_error + 16];
        snprintf(text, sizeof text, "error %s\n", shim_error);
        client_reply(c, text);
        m->criu = 0;
        return;
    }
    /* criu holds the stdio now; the container's output ends with its last writer. */
    close_child_stdio(m);
    m->started = 1;
    m->start_client = idx;
}

/* criu exited: on success its pid file names the restored init, re-parented to us (a subreaper). */
void monitor_restored(struct monitor *m, int status) {
    m->criu = 0;
    struct client *c = m->start_client >= 0 ? &m->clients[m->start_client] : NULL;
    m->start_client = -1;
    char text[sizeof shim_error + 64];
    pid_t pid = 0;
    if (m->exited) { /* killed while criu ran */
        if (c)
            client_reply(c, "error the container was killed while it was being restored\n");
        return;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || restore_read_pid(m->plan, &pid) < 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            snprintf(text, sizeof text, "error %s\n", shim_error);
        else
            snprintf(text, sizeof text, "error criu restore failed (%s %d)\n", WIFEXITED(status) ? "exit code" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        monitor_mark_exited(m, WIFEXITED(status) && WEXITSTATUS(status) ? status : (1 << 8));
        if (c)
            client_reply(c, text);
        return;
    }
    m->init = pid;
    int st;
    if (m->orphan == pid) {
        monitor_mark_exited(m, m->orphan_status);
    } else if (waitpid(pid, &st, WNOHANG) == pid) {
        monitor_mark_exited(m, st);
    } else if (kill(pid, 0) < 0 && errno == ESRCH) {
        monitor_mark_exited(m, 255 << 8); /* gone, and not as our child: status unknown */
    }
    monitor_write_pid(m, pid);
    monitor_write_started(m);
    if (c)
        client_reply(c, "ok\n");
}
