#define _GNU_SOURCE
#include "oom.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util.h"

static void add_counters(const char *dir, const char *file, struct oom_counts *out) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text = read_file(path, 4096, NULL);
    if (!text)
        return; /* not the memory hierarchy, or not this cgroup version */
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char key[32];
        long long value;
        if (sscanf(line, "%31s %lld", key, &value) != 2)
            continue;
        if (!strcmp(key, "oom"))
            out->events += value;
        else if (!strcmp(key, "oom_kill"))
            out->kills += value;
    }
    free(text);
}

void oom_read(const struct plan *plan, struct oom_counts *out) {
    *out = (struct oom_counts){0};
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "cgroup") || r->argc < 1)
            continue;
        add_counters(r->argv[0], "memory.events", out);
        add_counters(r->argv[0], "memory.oom_control", out);
    }
}

int oom_killed(const struct oom_counts *before, const struct oom_counts *after, int status) {
    if (after->kills > before->kills)
        return 1;
    /* v2 kernels before 4.13 count no oom_kill: there an OOM event and a SIGKILL death are the evidence. */
    return after->events > before->events && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}
