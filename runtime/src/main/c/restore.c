#define _GNU_SOURCE
#include "restore.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "namespaces.h"
#include "process.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define FIRST_NS_FD 6
#define MAX_NS_FD 63

/* In the child: reports on criu's output file (the daemon shows its tail) and exits. */
static void child_fail(int out) __attribute__((noreturn));
static void child_fail(int out) {
    dprintf(out, "berth-shim: %s\n", shim_error);
    _exit(127);
}

/* Moves fd above the range the child lays out, so a dup2 onto 0..MAX_NS_FD cannot clobber it. */
static int lift(int fd) {
    return fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, MAX_NS_FD + 1);
}

static int makes_cgroup_ns(const struct plan *plan) {
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (!strcmp(r->name, "ns") && r->argc >= 1 && !strcmp(r->argv[0], "cgroup") && (r->argc < 2 || !r->argv[1][0]))
            return 1;
    }
    return 0;
}

#define IMG_COMMON_MAGIC 0x54564319u
#define UTSNS_MAGIC 0x54473203u

/* A CRIU UTS image (two magics, then one size-prefixed utsns_entry: nodename = 1, domainname = 2) naming these. */
static int rewrite_uts_image(const char *path, const char *node, const char *domain) {
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return fail("open %s", path);
    uint32_t magic[2];
    if (pread(fd, magic, sizeof magic, 0) != (ssize_t)sizeof magic || magic[0] != IMG_COMMON_MAGIC || magic[1] != UTSNS_MAGIC) {
        close(fd);
        return failx("%s is no CRIU UTS namespace image", path);
    }
    size_t nl = strlen(node), dl = strlen(domain);
    unsigned char buf[8 + 4 + 2 + 127 + 2 + 127];
    if (nl > 127 || dl > 127) {
        close(fd);
        return failx("host or domain name too long for %s", path);
    }
    uint32_t size = (uint32_t)(2 + nl + 2 + dl);
    size_t n = 0;
    memcpy(buf, magic, sizeof magic), n += sizeof magic;
    memcpy(buf + n, &size, sizeof size), n += sizeof size;
    buf[n++] = 0x0a, buf[n++] = (unsigned char)nl, memcpy(buf + n, node, nl), n += nl;
    buf[n++] = 0x12, buf[n++] = (unsigned char)dl, memcpy(buf + n, domain, dl), n += dl;
    int rc = ftruncate(fd, 0) == 0 && pwrite(fd, buf, n, 0) == (ssize_t)n ? 0 : fail("rewrite %s", path);
    close(fd);
    return rc;
}

/*
 * CRIU writes the dumped host and domain name into a UTS namespace it joins: the new pod's,
 * shared with the pod's other containers. So its images are made to say what that namespace
 * says now ("restore_uts NS-PATH IMAGE..."), and the pod keeps its names.
 */
static int keep_pod_names(const struct plan *plan) {
    const struct record *r = plan_find(plan, "restore_uts");
    if (!r)
        return 0;
    if (r->argc < 1)
        return failx("restore_uts names no namespace");
    int ns = open(r->argv[0], O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWUTS) < 0)
        return fail("join the UTS namespace %s", r->argv[0]);
    close(ns);
    struct utsname names;
    if (uname(&names) < 0)
        return fail("uname");
    for (int i = 1; i < r->argc; i++)
        if (rewrite_uts_image(r->argv[i], names.nodename, names.domainname) < 0)
            return -1;
    return 0;
}

static void run_criu(const struct plan *plan, int in, int out, int err) __attribute__((noreturn));
static void run_criu(const struct plan *plan, int in, int out, int err) {
    const struct record *criu = plan_find(plan, "restore");
    const char *out_path = plan_get(plan, "restore_out", "/dev/null");
    int log = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log < 0)
        _exit(127);
    /* The monitor blocks SIGCHLD and ignores SIGPIPE; criu must see both as usual. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (process_join_cgroups(plan) < 0)
        child_fail(log);
    if (makes_cgroup_ns(plan) && unshare(CLONE_NEWCGROUP) < 0) {
        fail("create the cgroup namespace");
        child_fail(log);
    }
    if (keep_pod_names(plan) < 0)
        child_fail(log);
    int hi_in = lift(in), hi_out = lift(out), hi_err = lift(err), hi_log = lift(log);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (hi_in < 0 || hi_out < 0 || hi_err < 0 || hi_log < 0 || null < 0 || dup2(null, 0) < 0 || dup2(hi_log, 1) < 0
        || dup2(hi_log, 2) < 0 || dup2(hi_in, 3) < 0 || dup2(hi_out, 4) < 0 || dup2(hi_err, 5) < 0) {
        fail("lay out criu's file descriptors");
        child_fail(hi_log >= 0 ? hi_log : log);
    }
    int top = 5;
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "restore_fd") || r->argc < 2)
            continue;
        int64_t want;
        if (plan_i64(r->argv[0], &want) < 0 || want < FIRST_NS_FD || want > MAX_NS_FD) {
            failx("restore_fd %s is not between %d and %d", r->argv[0], FIRST_NS_FD, MAX_NS_FD);
            child_fail(hi_log);
        }
        int fd = open(r->argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || dup2(fd, (int)want) < 0) {
            fail("open %s for criu", r->argv[1]);
            child_fail(hi_log);
        }
        close(fd);
        if (want > top)
            top = (int)want;
    }
    /* Only what criu is meant to have crosses the exec. */
    syscall(SYS_close_range, (unsigned)top + 1, ~0U, CLOSE_RANGE_CLOEXEC);
    execv(criu->argv[0], criu->argv);
    fail("exec %s", criu->argv[0]);
    child_fail(2);
}

pid_t restore_spawn(const struct plan *plan, int in, int out, int err) {
    const struct record *criu = plan_find(plan, "restore");
    if (!criu || criu->argc < 2 || criu->argv[0][0] != '/')
        return failx("the plan's restore record names no criu binary by absolute path");
    if (!plan_get(plan, "restore_pidfile", NULL))
        return failx("the plan names no restore_pidfile");
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork criu");
    if (pid == 0)
        run_criu(plan, in, out, err);
    return pid;
}

int restore_read_pid(const struct plan *plan, pid_t *pid) {
    const char *path = plan_get(plan, "restore_pidfile", NULL);
    size_t len = 0;
    char *text = path ? read_file(path, 64, &len) : NULL;
    if (!text)
        return failx("criu wrote no pid file %s", path ? path : "");
    char *end = NULL;
    long value = strtol(text, &end, 10);
    int trailing = end && *end && *end != '\n';
    free(text);
    if (value <= 0 || value > INT_MAX || trailing)
        return failx("criu's pid file %s holds no pid", path);
    *pid = (pid_t)value;
    return 0;
}
