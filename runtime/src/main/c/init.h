/* The container's first process, between clone and execve of the user program. */
#ifndef BERTH_INIT_H
#define BERTH_INIT_H

#include "namespaces.h"
#include "plan.h"

struct init_io {
    int sync;       /* SOCK_SEQPACKET to the monitor: "g"/"s" in, "r"/"e<reason>" out */
    int stdin_fd;   /* what becomes fds 0, 1, 2 */
    int stdout_fd;
    int stderr_fd;
    int tty;        /* stdin_fd is a pty slave: make it the controlling terminal */
};

/* Never returns: sets up the container, reports "r", waits for "s", then execs (or pauses). */
void init_run(const struct plan *plan, struct ns_setup *ns, const struct init_io *io) __attribute__((noreturn));
/* The pod's pause process: reaps zombies, exits 0 on SIGTERM or SIGINT. */
void pause_forever(void) __attribute__((noreturn));

#endif
