#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "init.h"
#include "logging.h"
#include "namespaces.h"
#include "monitor_state.h"
#include "oom.h"
#include "util.h"

/* After the init exits, how long processes it left (host PID namespace) may keep stdout open. */
#define DRAIN_MS 2000


void monitor_path(const struct monitor *m, const char *name, char *out, size_t size) {
    snprintf(out, size, "%s/%s", m->dir, name);
}

static int listen_control(struct monitor *m) {
    m->listen_fd = unix_listen(m->dir, "shim.sock", 16);
    return m->listen_fd < 0 ? -1 : 0;
}

void client_reply(struct client *c, const char *text) {
    if (c->fd >= 0)
        send(c->fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void drop_client(struct client *c) {
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->waiting = 0;
    c->len = 0;
}

static int exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void send_exit(struct monitor *m, struct client *c) {
    char text[128];
    snprintf(text, sizeof text, "exited %d %d %lld\n", exit_code(m->status),
             WIFSIGNALED(m->status) ? WTERMSIG(m->status) : 0, (long long)m->exited_at);
    client_reply(c, text);
}

void monitor_mark_exited(struct monitor *m, int status) {
    m->exited = 1;
    m->status = status;
    m->exited_at = now_ns();
}

int monitor_write_pid(struct monitor *m, pid_t pid) {
    char path[PATH_MAX], text[32];
    int n = snprintf(text, sizeof text, "%d\n", pid);
    monitor_path(m, "pid", path, sizeof path);
    return write_file_atomic(path, text, (size_t)n, 0600);
}

/* The "started" file: the user program runs (recovery reads it). */
void monitor_write_started(struct monitor *m) {
    char path[PATH_MAX];
    monitor_path(m, "started", path, sizeof path);
    write_file_atomic(path, "", 0, 0600);
}

static void handle_command(struct monitor *m, int idx, char *line) {
    struct client *c = &m->clients[idx];
    char text[sizeof shim_error + 32];
    if (!strcmp(line, "start") && m->restoring) {
        monitor_start_restore(m, idx);
    } else if (!strcmp(line, "start")) {
        if (m->started || m->exited) {
            client_reply(c, m->exited ? "error the container has exited\n" : "error the container is already started\n");
        } else if (send(m->sync, "s", 1, MSG_NOSIGNAL) != 1) {
            client_reply(c, "error the container's init is gone\n");
        } else {
            m->started = 1;
            m->start_client = idx;
        }
    } else if (!strncmp(line, "kill ", 5)) {
        int sig = atoi(line + 5);
        if (sig <= 0 || sig >= 65)
            client_reply(c, "error bad signal\n");
        else if (!m->exited && m->init <= 0)
            monitor_end_unrestored(m, sig), client_reply(c, "ok\n");
        else if (!m->exited && kill(m->init, sig) < 0 && errno != ESRCH)
            snprintf(text, sizeof text, "error kill: %s\n", strerror(errno)), client_reply(c, text);
        else
            client_reply(c, "ok\n");
    } else if (!strcmp(line, "reopen")) {
        if (logger_reopen(&m->log) < 0)
            snprintf(text, sizeof text, "error %s\n", shim_error), client_reply(c, text);
        else
            client_reply(c, "ok\n");
    } else if (!strcmp(line, "state")) {
        if (m->exited)
            send_exit(m, c);
        else
            snprintf(text, sizeof text, "%s %d\n", m->started ? "running" : "created", m->init), client_reply(c, text);
    } else if (!strcmp(line, "wait")) {
        /* Answered after the exit file is written, so the caller can read it at once. */
        c->waiting = 1;
    } else {
        client_reply(c, "error unknown command\n");
    }
}

static void read_client(struct monitor *m, int idx) {
    struct client *c = &m->clients[idx];
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len, MSG_DONTWAIT);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (m->start_client == idx)
            m->start_client = -1;
        drop_client(c);
        return;
    }
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    char *nl;
    while ((nl = strchr(c->buf, '\n'))) {
        *nl = '\0';
        handle_command(m, idx, c->buf);
        size_t rest = c->len - (size_t)(nl + 1 - c->buf);
        memmove(c->buf, nl + 1, rest);
        c->len = rest;
        c->buf[c->len] = '\0';
    }
    if (c->len == sizeof c->buf - 1)
        drop_client(c); /* a line longer than any command */
}

static void accept_client(struct monitor *m) {
    int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return;
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (m->clients[i].fd < 0) {
            m->clients[i].fd = fd;
            return;
        }
    close(fd); /* too many: the daemon retries */
}

/* The start result: EOF on the sync socket means execve succeeded (it is close-on-exec). */
static void read_sync(struct monitor *m) {
    char msg[sizeof shim_error + 2];
    ssize_t n = recv(m->sync, msg, sizeof msg - 1, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    struct client *c = m->start_client >= 0 ? &m->clients[m->start_client] : NULL;
    if (n > 0 && msg[0] == 'e') {
        msg[n] = '\0';
        m->exec_failed = 1;
        if (c) {
            char text[sizeof msg + 16];
            snprintf(text, sizeof text, "error %s\n", msg + 1);
            client_reply(c, text);
        }
    } else if (c) {
        monitor_write_started(m);
        client_reply(c, "ok\n");
    }
    m->start_client = -1;
    close(m->sync);
    m->sync = -1;
}

static void read_output(struct monitor *m, int *fd, struct log_stream *stream) {
    char buf[32768];
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        logger_flush(&m->log, stream);
        close(*fd);
        *fd = -1;
        return;
    }
    logger_write(&m->log, stream, buf, (size_t)n);
    attach_broadcast(&m->attach, stream == &m->out ? FRAME_STDOUT : FRAME_STDERR, buf, (size_t)n);
}

static void reap(struct monitor *m) {
    struct signalfd_siginfo info;
    while (read(m->sig_fd, &info, sizeof info) > 0) {
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (m->restoring && pid == m->criu) {
            monitor_restored(m, status);
        } else if (m->restoring && m->init <= 0 && !m->orphan) {
            m->orphan = pid;
            m->orphan_status = status;
        } else if (pid == m->init && !m->exited) {
            monitor_mark_exited(m, status);
        }
    }
}

/* Read while the cgroup still exists: the daemon removes it only after it has seen this file. */
static void write_exit_file(struct monitor *m) {
    struct oom_counts oom_after;
    oom_read(m->plan, &oom_after);
    char text[256], path[PATH_MAX];
    int n = snprintf(text, sizeof text, "code=%d\nsignal=%d\nexited_at=%lld\n", exit_code(m->status),
                     WIFSIGNALED(m->status) ? WTERMSIG(m->status) : 0, (long long)m->exited_at);
    if (oom_killed(&m->oom_before, &oom_after, m->status)) {
        enum oom_limit which = oom_which(&m->oom_before, &oom_after, &m->oom_watch);
        n += snprintf(text + n, sizeof text - (size_t)n, "oom_killed=1\noom_limit=%s\noom_limit_bytes=%lld\n",
                      oom_limit_name(which), oom_limit_bytes(m->plan, which));
    } else {
        n += snprintf(text + n, sizeof text - (size_t)n, "oom_killed=0\n");
    }
    monitor_path(m, "exit", path, sizeof path);
    write_file_atomic(path, text, (size_t)n, 0600);
}

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void serve(struct monitor *m) {
    int64_t drain_deadline = -1;
    for (;;) {
        if (m->exited && drain_deadline < 0)
            drain_deadline = mono_ms() + DRAIN_MS;
        if (m->exited && ((m->out_fd < 0 && m->err_fd < 0) || mono_ms() >= drain_deadline))
            break;
        struct pollfd fds[5 + MAX_CLIENTS + 1 + MAX_ATTACH];
        int n = 0;
        fds[n++] = (struct pollfd){.fd = m->sig_fd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = m->listen_fd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = m->sync, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = m->out_fd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = m->err_fd, .events = POLLIN};
        for (int i = 0; i < MAX_CLIENTS; i++)
            fds[n++] = (struct pollfd){.fd = m->clients[i].fd, .events = POLLIN};
        int attach_at = n;
        n += attach_pollfds(&m->attach, fds + n);
        int timeout = m->exited ? (int)(drain_deadline - mono_ms()) : -1;
        if (poll(fds, (nfds_t)n, timeout < 0 && m->exited ? 0 : timeout) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[0].revents)
            reap(m);
        if (fds[1].revents)
            accept_client(m);
        if (m->sync >= 0 && fds[2].revents)
            read_sync(m);
        if (m->out_fd >= 0 && fds[3].revents)
            read_output(m, &m->out_fd, &m->out);
        if (m->err_fd >= 0 && fds[4].revents)
            read_output(m, &m->err_fd, &m->err);
        for (int i = 0; i < MAX_CLIENTS; i++)
            if (m->clients[i].fd >= 0 && fds[5 + i].revents)
                read_client(m, i);
        attach_handle(&m->attach, fds + attach_at);
    }
    if (m->out_fd >= 0)
        logger_flush(&m->log, &m->out);
    if (m->err_fd >= 0)
        logger_flush(&m->log, &m->err);
    write_exit_file(m);
    /* The last change to the directory: once a waiter hears of the exit, the daemon may delete it. */
    char sock[PATH_MAX];
    monitor_path(m, "shim.sock", sock, sizeof sock);
    unlink(sock);
    attach_close(&m->attach, m->dir);
    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (m->clients[i].fd < 0)
            continue;
        if (m->clients[i].waiting)
            send_exit(m, &m->clients[i]);
        if (m->start_client == i)
            client_reply(&m->clients[i], "error the container exited while starting\n");
        drop_client(&m->clients[i]);
    }
}

/* stdout and stderr are pipes (or one pty); stdin is /dev/null unless the container takes input. */
static int open_stdio(const struct plan *plan, struct monitor *m, int *child_in, int *child_out, int *child_err) {
    m->attach.stdin_fd = -1;
    m->attach.tty_fd = -1;
    m->attach.stdin_once = plan_find(plan, "stdin_once") != NULL;
    if (plan_find(plan, "terminal")) {
        /* The init allocates the pty in its devpts and sends us the master (await_ready). */
        *child_in = *child_out = *child_err = -1;
        return 0;
    }
    int o[2], e[2];
    if (pipe2(o, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0)
        return fail("create stdio pipes");
    *child_out = o[1];
    *child_err = e[1];
    m->out_fd = o[0];
    m->err_fd = e[0];
    fcntl(m->out_fd, F_SETFL, O_NONBLOCK);
    fcntl(m->err_fd, F_SETFL, O_NONBLOCK);
    if (plan_find(plan, "stdin")) {
        int in[2];
        if (pipe2(in, O_CLOEXEC) < 0)
            return fail("create the stdin pipe");
        *child_in = in[0];
        m->attach.stdin_fd = in[1];
        fcntl(in[1], F_SETFL, O_NONBLOCK);
        return 0;
    }
    *child_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    return *child_in < 0 ? fail("open /dev/null") : 0;
}

/* A terminal's master, sent by the init: output comes from it, stdin and resizes go to it. */
static int take_terminal(struct monitor *m, int sync) {
    char tag = 0;
    int master = recv_fd(sync, &tag);
    if (master < 0 || tag != 't')
        return failx("the container's init sent no terminal");
    const struct record *size = plan_find(m->plan, "console_size");
    if (size && size->argc >= 2) {
        struct winsize ws = {.ws_row = (unsigned short)atoi(size->argv[0]), .ws_col = (unsigned short)atoi(size->argv[1])};
        ioctl(master, TIOCSWINSZ, &ws);
    }
    fcntl(master, F_SETFL, O_NONBLOCK);
    m->out_fd = master;
    m->err_fd = -1;
    m->attach.stdin_fd = master;
    m->attach.tty_fd = master;
    return 0;
}

/* Waits for the init's first word: "r" (ready) or "e<reason>" (after a terminal, when it has one). */
static int await_ready(struct monitor *m, int sync) {
    struct pollfd p = {.fd = sync, .events = POLLIN};
    if (poll(&p, 1, 60000) <= 0)
        return failx("the container's init did not get ready within 60 s");
    char msg[sizeof shim_error + 2];
    ssize_t n = recv(sync, msg, sizeof msg - 1, MSG_PEEK);
    if (n >= 1 && msg[0] == 't') {
        if (take_terminal(m, sync) < 0)
            return -1;
        if (poll(&p, 1, 60000) <= 0)
            return failx("the container's init did not get ready within 60 s");
    }
    n = recv(sync, msg, sizeof msg - 1, 0);
    if (n == 1 && msg[0] == 'r')
        return 0;
    if (n > 1 && msg[0] == 'e') {
        msg[n] = '\0';
        return failx("%s", msg + 1);
    }
    return failx("the container's init died while it was being set up");
}

int monitor_run(const char *dir, const struct plan *plan, int report_fd) {
    /* On the heap, not the stack: the monitor holds ~300 KB of buffers (attach frames, partial log
     * lines) that most containers never fill. A block this big is a fresh zeroed mmap, so only the
     * pages in use take memory; zeroing a stack variable would make every page resident for the
     * container's whole life, and again in the pause process forked from it. */
    char reportmsg[sizeof shim_error + 32];
    struct monitor *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(reportmsg, sizeof reportmsg, "error the shim monitor is out of memory\n");
        write_all(report_fd, reportmsg, strlen(reportmsg));
        return 1;
    }
    /* Field by field: a compound literal would be built on the stack and copied, touching every page. */
    m->dir = dir;
    m->plan = plan;
    m->sync = m->listen_fd = m->out_fd = m->err_fd = -1;
    m->start_client = -1;
    m->attach.listen_fd = m->attach.stdin_fd = m->attach.tty_fd = -1;
    m->oom_watch = (struct oom_watch){-1, -1, -1};
    m->child_in = m->child_out = m->child_err = -1;
    m->restoring = plan_find(plan, "restore") != NULL;
    for (int i = 0; i < MAX_CLIENTS; i++)
        m->clients[i].fd = -1;
    m->out.name = "stdout";
    m->err.name = "stderr";
    struct ns_setup ns;
    int sv[2], child_in = -1, child_out = -1, child_err = -1;

    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    m->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);

    if (logger_open(&m->log, plan_get(plan, "log", NULL)) < 0 || ns_plan(plan, &ns) < 0
        || open_stdio(plan, m, &child_in, &child_out, &child_err) < 0
        || listen_control(m) < 0 || attach_listen(&m->attach, dir) < 0)
        goto failed;
    /* A cgroup may be reused (a shared cgroupsPath): only kills after this reading are the container's. */
    oom_read(plan, &m->oom_before);
    oom_watch_open(plan, &m->oom_watch);
    if (m->restoring) {
        /* No init yet: criu brings it back at start (restore.h). */
        m->child_in = child_in, m->child_out = child_out, m->child_err = child_err;
        snprintf(reportmsg, sizeof reportmsg, "ok 0\n");
        write_all(report_fd, reportmsg, strlen(reportmsg));
        close(report_fd);
        serve(m);
        return 0;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        fail("socketpair");
        goto failed;
    }
    /* A joined PID namespace applies to children only: enter it here, before the clone. */
    if (ns_enter(&ns, CLONE_NEWPID) < 0)
        goto failed;
    int flags = (ns.new_flags & ~CLONE_NEWCGROUP) | SIGCHLD;
    pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
    if (pid < 0) {
        fail("clone the container's init with flags 0x%x", flags);
        goto failed;
    }
    if (pid == 0) {
        close(sv[0]);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        struct init_io io = {.sync = sv[1], .stdin_fd = child_in, .stdout_fd = child_out, .stderr_fd = child_err,
                             .tty = plan_find(plan, "terminal") != NULL};
        init_run(plan, &ns, &io);
    }
    m->init = pid;
    close(sv[1]);
    if (child_in >= 0) {
        close(child_in);
        close(child_out);
        close(child_err);
    }
    m->sync = sv[0];
    if ((ns.new_flags & CLONE_NEWUSER) && ns_write_id_maps(plan, pid) < 0) {
        kill(pid, SIGKILL);
        goto failed;
    }
    if (send(m->sync, "g", 1, MSG_NOSIGNAL) != 1 || await_ready(m, m->sync) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        goto failed;
    }
    if (monitor_write_pid(m, pid) < 0) {
        kill(pid, SIGKILL);
        goto failed;
    }
    snprintf(reportmsg, sizeof reportmsg, "ok %d\n", pid);
    write_all(report_fd, reportmsg, strlen(reportmsg));
    close(report_fd);
    serve(m);
    return 0;

failed:
    snprintf(reportmsg, sizeof reportmsg, "error %s\n", shim_error);
    write_all(report_fd, reportmsg, strlen(reportmsg));
    if (m->listen_fd >= 0) {
        char sock[PATH_MAX];
        monitor_path(m, "shim.sock", sock, sizeof sock);
        unlink(sock);
    }
    return 1;
}
