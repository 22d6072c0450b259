#define _GNU_SOURCE
#include "oom.h"

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* dir/file into path (PATH_MAX bytes); -1 when it does not fit. */
static int join(char *path, const char *dir, const char *file) {
    int n = snprintf(path, PATH_MAX, "%s/%s", dir, file);
    return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* Adds the values of "key value" lines of dir/file to *sum for key; a missing file adds nothing. */
static void add_counter(const char *dir, const char *file, const char *key, long long *sum) {
    char path[PATH_MAX];
    if (join(path, dir, file) < 0)
        return;
    char *text = read_file(path, 4096, NULL);
    if (!text)
        return; /* not the memory hierarchy, or not this cgroup version */
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[32];
        long long value;
        if (sscanf(line, "%31s %lld", name, &value) == 2 && !strcmp(name, key))
            *sum += value;
    }
    free(text);
}

/* dir's parent directory into out; 0, or -1 when dir has none. */
static int parent_of(const char *dir, char *out, size_t size) {
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", dir);
    char *parent = dirname(copy);
    if (!strcmp(parent, dir) || !strcmp(parent, "/"))
        return -1;
    snprintf(out, size, "%s", parent);
    return 0;
}

static int exists(const char *dir, const char *file) {
    char path[PATH_MAX];
    return join(path, dir, file) == 0 && access(path, F_OK) == 0;
}

/* The plan's cgroup directory that holds file (the memory hierarchy's), or NULL. */
static const char *memory_dir(const struct plan *plan, const char *file) {
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (!strcmp(r->name, "cgroup") && r->argc >= 1 && exists(r->argv[0], file))
            return r->argv[0];
    }
    return NULL;
}

void oom_read(const struct plan *plan, struct oom_counts *out) {
    *out = (struct oom_counts){0};
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "cgroup") || r->argc < 1)
            continue;
        const char *dir = r->argv[0];
        add_counter(dir, "memory.events", "oom", &out->events);
        add_counter(dir, "memory.events", "oom_kill", &out->kills);
        add_counter(dir, "memory.oom_control", "oom_kill", &out->kills);
        char parent[PATH_MAX];
        if (exists(dir, "memory.events") && parent_of(dir, parent, sizeof parent) == 0) {
            /* .local counts the parent's own limit only; kernels before 5.2 lack it, and the
               hierarchical file then also counts siblings, whose limits are not this container's. */
            if (exists(parent, "memory.events.local"))
                add_counter(parent, "memory.events.local", "oom", &out->parent_events);
            else
                add_counter(parent, "memory.events", "oom", &out->parent_events);
        }
    }
}

/* An eventfd the kernel signals on an OOM in dir's memory cgroup (v1 cgroup.event_control); -1 if it cannot. */
static int watch_dir(const char *dir) {
    char path[PATH_MAX], line[64];
    if (join(path, dir, "memory.oom_control") < 0)
        return -1;
    int control = open(path, O_RDONLY | O_CLOEXEC);
    if (control < 0)
        return -1;
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd >= 0) {
        snprintf(line, sizeof line, "%d %d", efd, control);
        if (join(path, dir, "cgroup.event_control") < 0 || write_file(path, line) < 0) {
            close(efd);
            efd = -1;
        }
    }
    close(control); /* the registration holds its own reference */
    return efd;
}

void oom_watch_open(const struct plan *plan, struct oom_watch *watch) {
    *watch = (struct oom_watch){-1, -1, -1};
    const char *dir = memory_dir(plan, "memory.oom_control");
    if (!dir)
        return;
    char parent[PATH_MAX], grandparent[PATH_MAX];
    watch->container = watch_dir(dir);
    if (parent_of(dir, parent, sizeof parent) < 0)
        return;
    watch->parent = watch_dir(parent);
    if (parent_of(parent, grandparent, sizeof grandparent) == 0)
        watch->grandparent = watch_dir(grandparent);
}

/* How often the eventfd was signalled; 0 for none (or no eventfd). */
static uint64_t signalled(int efd) {
    uint64_t count = 0;
    if (efd < 0 || read(efd, &count, sizeof count) != sizeof count)
        return 0;
    return count;
}

int oom_killed(const struct oom_counts *before, const struct oom_counts *after, int status) {
    if (after->kills > before->kills)
        return 1;
    /* v2 kernels before 4.13 count no oom_kill: there an OOM event and a SIGKILL death are the evidence. */
    return after->events > before->events && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

enum oom_limit oom_which(const struct oom_counts *before, const struct oom_counts *after, const struct oom_watch *watch) {
    if (after->events > before->events)
        return OOM_LIMIT_CONTAINER;
    if (after->parent_events > before->parent_events)
        return OOM_LIMIT_PARENT;
    if (watch->container < 0)
        return OOM_LIMIT_OTHER;
    uint64_t own = signalled(watch->container), parent = signalled(watch->parent), above = signalled(watch->grandparent);
    if (above > 0)
        return OOM_LIMIT_OTHER;
    if (parent > 0)
        return OOM_LIMIT_PARENT;
    return own > 0 ? OOM_LIMIT_CONTAINER : OOM_LIMIT_OTHER;
}

static long long limit_in(const char *dir) {
    char path[PATH_MAX];
    const char *files[] = {"memory.max", "memory.limit_in_bytes"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *text = join(path, dir, files[i]) == 0 ? read_file(path, 64, NULL) : NULL;
        if (!text)
            continue;
        char *end = NULL;
        long long value = strtoll(text, &end, 10);
        int number = end != text;
        free(text);
        /* "max" (v2), or v1's unlimited (the largest page-aligned value): no limit */
        return number && value > 0 && value < (LLONG_MAX & ~0xfffLL) ? value : 0;
    }
    return 0;
}

long long oom_limit_bytes(const struct plan *plan, enum oom_limit which) {
    const char *dir = memory_dir(plan, "memory.max");
    if (!dir)
        dir = memory_dir(plan, "memory.limit_in_bytes");
    if (!dir || which == OOM_LIMIT_OTHER)
        return 0;
    if (which == OOM_LIMIT_CONTAINER)
        return limit_in(dir);
    char parent[PATH_MAX];
    return parent_of(dir, parent, sizeof parent) == 0 ? limit_in(parent) : 0;
}

const char *oom_limit_name(enum oom_limit which) {
    switch (which) {
    case OOM_LIMIT_CONTAINER:
        return "container";
    case OOM_LIMIT_PARENT:
        return "parent";
    default:
        return "other";
    }
}
