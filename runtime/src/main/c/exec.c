#define _GNU_SOURCE
#include <sys/types.h>
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frames.h"
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

/* Listens on the plan's console socket, where resize frames for the exec's pty arrive. */
static int console_listen(const struct plan *plan) {
    const char *path = plan_get(plan, "console_socket", NULL);
    if (!path)
        return -1;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return -1;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return unix_listen(dir, slash + 1, 4);
}

/* Copies our stdin to the pty and the pty to our stdout until the child is gone; applies resizes. */
static void relay_tty(int master, int console, pid_t child, int *status) {
    int in_open = 1, client = -1, exited = 0;
    struct frame_reader reader = {0};
    char buf[16384];
    for (;;) {
        struct pollfd fds[4] = {{.fd = in_open ? 0 : -1, .events = POLLIN}, {.fd = master, .events = POLLIN},
                                {.fd = console, .events = POLLIN}, {.fd = client, .events = POLLIN}};
        if (!exited && waitpid(child, status, WNOHANG) == child)
            exited = 1;
        if (poll(fds, 4, exited ? 100 : 200) < 0 && errno != EINTR)
            break;
        if (fds[1].revents) {
            ssize_t n = read(master, buf, sizeof buf);
            if (n <= 0 && (n == 0 || errno != EAGAIN))
                break; /* EIO: every holder of the slave is gone */
            if (n > 0)
                write_all(1, buf, (size_t)n);
        } else if (exited) {
            break;
        }
        /* Resizes before stdin: a client that resized and then typed gets the new size first. */
        int fresh = 0;
        if (fds[2].revents && client < 0) {
            client = accept4(console, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            fresh = client >= 0;
        }
        if (fds[3].revents || fresh) {
            int type, rc;
            const unsigned char *payload;
            size_t len;
            while ((rc = frame_read(client, &reader, &type, &payload, &len)) == 1) {
                if (type == FRAME_RESIZE) {
                    frame_resize(master, payload, len);
                    /* The daemon waits for this before it passes more stdin: a program that reads a
                       line and then asks for the size must see the size sent before the line. */
                    if (write(client, "k", 1) < 0) {
                    }
                }
                frame_consume(&reader);
            }
            if (rc < 0) {
                close(client);
                client = -1;
                frame_consume(&reader);
            }
        }
        if (fds[0].revents) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n > 0)
                write_all(master, buf, (size_t)n);
            else
                in_open = 0;
        }
    }
    if (!exited)
        while (waitpid(child, status, 0) < 0 && errno == EINTR) {
        }
}

/* The exec'd program. Its parent must reap it: killed any other way it would be reparented
   into the container, whose init need not reap, and linger there as a zombie. */
static volatile pid_t exec_child;

static void kill_exec_child(int sig) {
    (void)sig;
    if (exec_child > 0)
        kill(exec_child, SIGKILL);
}

int exec_run(pid_t pid, const char *plan_path) {
    struct plan plan;
    if (plan_load(plan_path, &plan) < 0)
        goto failed;
    int fds[NS_COUNT];
    if (open_namespaces(pid, fds) < 0 || process_join_cgroups(&plan) < 0)
        goto failed;
    /* Host paths (the console socket) are bound before we enter the container's mount namespace. */
    int console = plan_find(&plan, "terminal") ? console_listen(&plan) : -1;
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
    int tty = plan_find(&plan, "terminal") != NULL, master = -1, slave = -1;
    if (tty) {
        /* We are in the container's mount namespace now: the pty comes from its devpts. */
        if (open_pty_pair(&master, &slave) < 0)
            goto failed;
        const struct record *size = plan_find(&plan, "console_size");
        if (size && size->argc >= 2) {
            struct winsize ws = {.ws_row = (unsigned short)atoi(size->argv[0]), .ws_col = (unsigned short)atoi(size->argv[1])};
            ioctl(master, TIOCSWINSZ, &ws);
        }
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
        if (tty && (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0
                    || dup2(slave, 2) < 0))
            fail("make the pty the exec's terminal");
        else if (process_apply_limits(&plan) == 0)
            process_exec(&plan);
        send(report[1], shim_error, strlen(shim_error), MSG_NOSIGNAL);
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(report[1]);
    signal(SIGINT, SIG_IGN);
    /* SIGTERM from the daemon (an ExecSync past its timeout): kill the program, then reap it below. */
    exec_child = child;
    struct sigaction term = {.sa_handler = kill_exec_child};
    sigemptyset(&term.sa_mask);
    sigaction(SIGTERM, &term, NULL);
    char msg[sizeof shim_error];
    ssize_t n = recv(report[0], msg, sizeof msg - 1, 0);
    int status = 0;
    if (tty && n <= 0) {
        close(slave);
        relay_tty(master, console, child, &status);
    } else {
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
    }
    /* The console socket's path is the daemon's to remove: it lies outside this mount namespace. */
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
