#define _GNU_SOURCE
#include <sys/types.h>
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plan.h"
#include "process.h"
#include "util.h"

static const struct { const char *name; int type; } NAMESPACES[] = {
    {"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP}, {"mnt", CLONE_NEWNS},
};
#define NS_COUNT (sizeof NAMESPACES / sizeof NAMESPACES[0])

/* Opens the container's namespaces that differ from ours (setns to one's own user ns fails). */
static int open_namespaces(pid_t pid, int fds[NS_COUNT]) {
    for (size_t i = 0; i < NS_COUNT; i++) {
        char theirs[64], ours[64];
        snprintf(theirs, sizeof theirs, "/proc/%d/ns/%s", pid, NAMESPACES[i].name);
        snprintf(ours, sizeof ours, "/proc/self/ns/%s", NAMESPACES[i].name);
        struct stat a, b;
        fds[i] = -1;
        if (stat(theirs, &a) < 0)
            return fail("the container's init (pid %d) is gone", pid);
        if (stat(ours, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
            continue;
        fds[i] = open(theirs, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0)
            return fail("open %s", theirs);
    }
    return 0;
}

int exec_run(pid_t pid, const char *plan_path) {
    struct plan plan;
    if (plan_load(plan_path, &plan) < 0)
        goto failed;
    int fds[NS_COUNT];
    if (open_namespaces(pid, fds) < 0 || process_join_cgroups(&plan) < 0)
        goto failed;
    for (size_t i = 0; i < NS_COUNT; i++)
        if (fds[i] >= 0 && setns(fds[i], NAMESPACES[i].type) < 0) {
            fail("join the container's %s namespace", NAMESPACES[i].name);
            goto failed;
        }
    int report[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report) < 0) {
        fail("socketpair");
        goto failed;
    }
    /* The PID namespace applies from the next child on. */
    pid_t child = fork();
    if (child < 0) {
        fail("fork");
        goto failed;
    }
    if (child == 0) {
        close(report[0]);
        /* The process must not outlive an exec whose caller gave up (ExecSync timeout). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (process_apply_limits(&plan) == 0)
            process_exec(&plan);
        send(report[1], shim_error, strlen(shim_error), MSG_NOSIGNAL);
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(report[1]);
    signal(SIGINT, SIG_IGN);
    char msg[sizeof shim_error];
    ssize_t n = recv(report[0], msg, sizeof msg - 1, 0);
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (n > 0) {
        msg[n] = '\0';
        snprintf(shim_error, sizeof shim_error, "%s", msg);
        goto failed;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

failed:
    /* The daemon tells a runtime failure from a program's own exit code by this prefix. */
    dprintf(2, "berth-shim: %s\n", shim_error);
    return 125;
}
