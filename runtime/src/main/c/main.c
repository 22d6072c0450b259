/*
 * berth-shim: the native half of Berth's OCI runtime. Java decides, this executes.
 *
 *   berth-shim create DIR       start a container from DIR/plan; daemonizes a monitor that
 *                               outlives the daemon; prints "ok <pid>" or exits 1 with the reason
 *   berth-shim exec PID PLAN    run PLAN's process inside the container whose init is PID
 *
 * Every invocation first re-executes itself from a sealed memfd copy, so a container that
 * reaches /proc/<pid>/exe of the shim can never overwrite the host binary (CVE-2019-5736).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "monitor.h"
#include "plan.h"
#include "util.h"

extern char **environ;

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int run_from_sealed_copy(char **argv) {
    int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return fail("open /proc/self/exe");
    int seals = fcntl(self, F_GET_SEALS);
    if (seals >= 0 && (seals & SEALS) == SEALS) {
        close(self);
        return 0; /* already the sealed copy */
    }
    struct stat st;
    int copy = memfd_create("berth-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (copy < 0 || fstat(self, &st) < 0)
        return fail("memfd_create");
    off_t off = 0;
    while (off < st.st_size) {
        ssize_t n = sendfile(copy, self, &off, (size_t)(st.st_size - off));
        if (n <= 0)
            return fail("copy the shim into a memfd");
    }
    close(self);
    if (fcntl(copy, F_ADD_SEALS, SEALS) < 0)
        return fail("seal the shim's memfd");
    fexecve(copy, argv, environ);
    return fail("re-exec the shim from its sealed memfd");
}

static int create(const char *dir) {
    struct plan plan;
    if (plan_load(dir[0] ? "plan" : "", &plan) < 0)
        return -1;
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0)
        return fail("pipe");
    pid_t first = fork();
    if (first < 0)
        return fail("fork");
    if (first == 0) {
        /* Double fork and a new session: the monitor is nobody's child and has no terminal. */
        close(report[0]);
        if (setsid() < 0)
            _exit(1);
        pid_t monitor = fork();
        if (monitor != 0)
            _exit(monitor < 0);
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        _exit(monitor_run(dir, &plan, report[1]));
    }
    close(report[1]);
    /* One line; the container's init holds the pipe open until it execs, so no EOF to wait for. */
    char msg[sizeof shim_error + 32];
    ssize_t n = 0;
    while (n < (ssize_t)sizeof msg - 1) {
        ssize_t r = read(report[0], msg + n, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || msg[n] == '\n') {
            n += r > 0;
            break;
        }
        n++;
    }
    waitpid(first, NULL, 0);
    if (n <= 0)
        return failx("the shim monitor died before reporting");
    msg[n] = '\0';
    if (!strncmp(msg, "ok ", 3)) {
        fputs(msg, stdout);
        return 0;
    }
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = '\0';
    return failx("%s", strncmp(msg, "error ", 6) ? msg : msg + 6);
}

int main(int argc, char **argv) {
    if (run_from_sealed_copy(argv) < 0) {
        fprintf(stderr, "berth-shim: %s\n", shim_error);
        return 125;
    }
    if (argc == 3 && !strcmp(argv[1], "create")) {
        if (chdir(argv[2]) < 0) {
            fprintf(stderr, "berth-shim: chdir %s: %s\n", argv[2], strerror(errno));
            return 1;
        }
        if (create(argv[2]) < 0) {
            fprintf(stderr, "berth-shim: %s\n", shim_error);
            return 1;
        }
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "exec"))
        return exec_run((pid_t)atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: berth-shim create DIR | exec PID PLAN\n");
    return 2;
}
