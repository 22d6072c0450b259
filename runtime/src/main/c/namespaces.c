#define _GNU_SOURCE
#include "namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int ns_flag_of(const char *name) {
    static const struct { const char *name; int flag; } types[] = {
        {"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"network", CLONE_NEWNET},
        {"net", CLONE_NEWNET}, {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP}, {"mount", CLONE_NEWNS},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(name, types[i].name))
            return types[i].flag;
    return 0;
}

/* Entering order: the user namespace first (it grants rights in the others), mount last. */
static int order_of(int type) {
    switch (type) {
    case CLONE_NEWUSER: return 0;
    case CLONE_NEWIPC: return 1;
    case CLONE_NEWUTS: return 2;
    case CLONE_NEWNET: return 3;
    case CLONE_NEWPID: return 4;
    case CLONE_NEWCGROUP: return 5;
    default: return 6;
    }
}

int ns_plan(const struct plan *plan, struct ns_setup *ns) {
    memset(ns, 0, sizeof *ns);
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "ns") || r->argc < 1)
            continue;
        int flag = ns_flag_of(r->argv[0]);
        if (!flag)
            return failx("unknown namespace type \"%s\"", r->argv[0]);
        if (r->argc < 2 || !r->argv[1][0]) {
            ns->new_flags |= flag;
            continue;
        }
        if (ns->njoin == 8)
            return failx("too many namespaces to join");
        int fd = open(r->argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return fail("open %s namespace %s", r->argv[0], r->argv[1]);
        int at = ns->njoin++;
        while (at > 0 && order_of(ns->join[at - 1].type) > order_of(flag)) {
            ns->join[at] = ns->join[at - 1];
            at--;
        }
        ns->join[at] = (struct ns_join){.type = flag, .fd = fd};
    }
    return 0;
}

int ns_enter(struct ns_setup *ns, int only_type) {
    for (int i = 0; i < ns->njoin; i++) {
        int type = ns->join[i].type;
        if (only_type ? type != only_type : type == CLONE_NEWPID)
            continue;
        if (setns(ns->join[i].fd, type) < 0)
            return fail("join namespace (type 0x%x)", type);
    }
    return 0;
}

static int write_map(const struct plan *plan, const char *kind, pid_t child) {
    char data[4096];
    size_t len = 0;
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, kind) || r->argc < 3)
            continue;
        int n = snprintf(data + len, sizeof data - len, "%s %s %s\n", r->argv[0], r->argv[1], r->argv[2]);
        if (n < 0 || (size_t)n >= sizeof data - len)
            return failx("%s too long", kind);
        len += (size_t)n;
    }
    if (len == 0)
        return 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", child, strcmp(kind, "uidmap") ? "gid_map" : "uid_map");
    return write_file(path, data);
}

int ns_write_id_maps(const struct plan *plan, pid_t child) {
    return write_map(plan, "uidmap", child) < 0 || write_map(plan, "gidmap", child) < 0 ? -1 : 0;
}
