#define _GNU_SOURCE
#include "init.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "process.h"
#include "util.h"

static void report_and_exit(int sync, int code) __attribute__((noreturn));
static void report_and_exit(int sync, int code) {
    char msg[sizeof shim_error + 1];
    int n = snprintf(msg, sizeof msg, "e%s", shim_error);
    send(sync, msg, (size_t)(n < (int)sizeof msg ? n : (int)sizeof msg - 1), MSG_NOSIGNAL);
    _exit(code);
}

static char wait_for(int sync) {
    char c = 0;
    ssize_t n;
    do {
        n = recv(sync, &c, 1, 0);
    } while (n < 0 && errno == EINTR);
    return n == 1 ? c : 0;
}

static int setup_stdio(const struct init_io *io) {
    if (dup2(io->stdin_fd, 0) < 0 || dup2(io->stdout_fd, 1) < 0 || dup2(io->stderr_fd, 2) < 0)
        return fail("set up stdio");
    return 0;
}

/*
 * A terminal is allocated from the container's own devpts, after pivot_root, so its name
 * (/dev/pts/N) exists in the container; the master goes to the monitor over the sync socket.
 */
static int setup_terminal(int sync) {
    int master, slave;
    if (open_pty_pair(&master, &slave) < 0)
        return -1;
    if (setsid() < 0 && errno != EPERM)
        return fail("setsid");
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        return fail("make the pty the controlling terminal");
    if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
        return fail("set up the terminal as stdio");
    if (send_fd(sync, 't', master) < 0)
        return -1;
    close(master);
    close(slave);
    return 0;
}

void init_run(const struct plan *plan, struct ns_setup *ns, const struct init_io *io) {
    int sync = io->sync;
    if (wait_for(sync) != 'g')
        _exit(1);
    /* Join the cgroup before a cgroup namespace is made, so the namespace is rooted there. */
    if (process_join_cgroups(plan) < 0 || ns_enter(ns, 0) < 0)
        report_and_exit(sync, 1);
    if ((ns->new_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
        fail("create the cgroup namespace");
        report_and_exit(sync, 1);
    }
    if ((ns->new_flags & CLONE_NEWUSER) && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
        fail("become root in the new user namespace");
        report_and_exit(sync, 1);
    }
    if (!io->tty && setup_stdio(io) < 0)
        report_and_exit(sync, 1);
    /* Its own session, as runc's init: CRIU dumps no process whose session leader is outside its PID namespace. */
    if (!io->tty && setsid() < 0) {
        fail("setsid");
        report_and_exit(sync, 1);
    }
    int has_rootfs = plan_find(plan, "rootfs") != NULL;
    if (has_rootfs && (rootfs_prepare(plan) < 0 || rootfs_enter(plan) < 0))
        report_and_exit(sync, 1);
    if (io->tty && setup_terminal(sync) < 0)
        report_and_exit(sync, 1);
    /* Sysctls before readonly paths (as runc): /proc/sys is usually one of them. */
    if (process_configure_namespaces(plan) < 0 || (has_rootfs && rootfs_seal(plan) < 0) || process_apply_limits(plan) < 0)
        report_and_exit(sync, 1);
    if (send(sync, "r", 1, MSG_NOSIGNAL) != 1)
        _exit(1);
    if (wait_for(sync) != 's')
        _exit(1); /* deleted before it was started */
    if (plan_find(plan, "pause")) {
        if (process_drop_privileges(plan) < 0)
            report_and_exit(sync, 1);
        close(sync); /* tells the monitor the start succeeded */
        pause_forever();
    }
    process_exec(plan);
    report_and_exit(sync, errno == ENOENT ? 127 : 126);
}

void pause_forever(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGCHLD);
    /* Blocked signals are queued even for a namespace's init, which ignores unhandled ones. */
    sigprocmask(SIG_BLOCK, &set, NULL);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGTERM || sig == SIGINT)
            _exit(0);
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
}
