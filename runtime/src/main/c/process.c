#define _GNU_SOURCE
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int process_configure_namespaces(const struct plan *plan) {
    const char *hostname = plan_get(plan, "hostname", NULL);
    if (hostname && sethostname(hostname, strlen(hostname)) < 0)
        return fail("set hostname %s", hostname);
    const char *domain = plan_get(plan, "domainname", NULL);
    if (domain && setdomainname(domain, strlen(domain)) < 0)
        return fail("set domain name %s", domain);
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "sysctl") || r->argc < 2)
            continue;
        char path[PATH_MAX];
        int n = snprintf(path, sizeof path, "/proc/sys/%s", r->argv[0]);
        if (n < 0 || n >= (int)sizeof path || strstr(r->argv[0], ".."))
            return failx("bad sysctl name %s", r->argv[0]);
        for (char *c = path + strlen("/proc/sys/"); *c; c++)
            if (*c == '.')
                *c = '/';
        if (write_file(path, r->argv[1]) < 0) {
            char reason[sizeof shim_error];
            snprintf(reason, sizeof reason, "%s", shim_error);
            return failx("sysctl %s=%s: %s", r->argv[0], r->argv[1], reason);
        }
    }
    return 0;
}

int process_apply_limits(const struct plan *plan) {
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "rlimit") || r->argc < 3)
            continue;
        uint64_t resource, soft, hard;
        if (plan_u64(r->argv[0], &resource) || plan_u64(r->argv[1], &soft) || plan_u64(r->argv[2], &hard))
            return -1;
        struct rlimit limit = {.rlim_cur = soft, .rlim_max = hard};
        if (setrlimit((int)resource, &limit) < 0)
            return fail("set rlimit %llu to %llu/%llu", (unsigned long long)resource,
                        (unsigned long long)soft, (unsigned long long)hard);
    }
    const char *oom = plan_get(plan, "oom_score_adj", NULL);
    if (oom) {
        int64_t wanted;
        if (plan_i64(oom, &wanted) < 0)
            return -1;
        char value[32];
        snprintf(value, sizeof value, "%lld", (long long)wanted);
        if (write_file("/proc/self/oom_score_adj", value) < 0) {
            /* Lowering needs CAP_SYS_RESOURCE; without it keep our own value (containerd's
               restrict_oom_score_adj). Raising never fails for lack of privilege. */
            if (errno != EACCES && errno != EPERM)
                return -1;
        }
    }
    return 0;
}

int process_join_cgroups(const struct plan *plan) {
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "cgroup") || r->argc < 1)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/cgroup.procs", r->argv[0]);
        if (write_file(path, pid) < 0)
            return -1;
    }
    return 0;
}

static int set_identity(const struct plan *plan) {
    const struct record *groups = plan_find(plan, "groups");
    gid_t list[256];
    int n = 0;
    for (int i = 0; groups && i < groups->argc && n < 256; i++) {
        uint64_t g;
        if (plan_u64(groups->argv[i], &g) < 0)
            return -1;
        list[n++] = (gid_t)g;
    }
    const struct record *user = plan_find(plan, "user");
    uint64_t uid = 0, gid = 0;
    if (user && (user->argc < 2 || plan_u64(user->argv[0], &uid) || plan_u64(user->argv[1], &gid)))
        return failx("bad user record");
    if (setgroups((size_t)n, list) < 0 && !(errno == EPERM && n == 0))
        return fail("setgroups");
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0)
        return fail("setresgid %llu", (unsigned long long)gid);
    /* Keep the permitted set across setuid; capset below picks what stays. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return fail("prctl(PR_SET_KEEPCAPS)");
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
        return fail("setresuid %llu", (unsigned long long)uid);
    return 0;
}

/* caps <bounding> <effective> <permitted> <inheritable> <ambient>, each a 64-bit mask. */
static int drop_bounding(const struct plan *plan, uint64_t *sets) {
    const struct record *caps = plan_find(plan, "caps");
    if (!caps)
        return 1; /* no capability settings: leave them */
    if (caps->argc < 5)
        return failx("caps record needs 5 masks");
    for (int i = 0; i < 5; i++)
        if (plan_u64(caps->argv[i], &sets[i]) < 0)
            return -1;
    for (int cap = 0; cap <= 63; cap++) {
        if (sets[0] & (1ULL << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            return fail("drop capability %d from the bounding set", cap);
    }
    return 0;
}

static int set_capabilities(const uint64_t *sets) {
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        data[i].effective = (uint32_t)(sets[1] >> (32 * i));
        data[i].permitted = (uint32_t)(sets[2] >> (32 * i));
        data[i].inheritable = (uint32_t)(sets[3] >> (32 * i));
    }
    if (syscall(SYS_capset, &header, data) < 0)
        return fail("capset");
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    /* The kernel raises an ambient capability only if it is also permitted and inheritable;
       configs often list ambient ones without inheritable (runc's own default): like runc,
       skip those instead of failing the container. */
    for (int cap = 0; cap <= 63; cap++)
        if ((sets[4] & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM)
            return fail("raise ambient capability %d", cap);
    return 0;
}

int process_drop_privileges(const struct plan *plan) {
    const char *mask = plan_get(plan, "umask", NULL);
    if (mask) {
        uint64_t m;
        if (plan_u64(mask, &m) < 0)
            return -1;
        umask((mode_t)m);
    }
    const char *cwd = plan_get(plan, "cwd", "/");
    int nnp = plan_find(plan, "no_new_privs") != NULL;
    /* Without no_new_privs the filter must go in while we still hold CAP_SYS_ADMIN (as runc does). */
    if (!nnp && seccomp_apply(plan) < 0)
        return -1;
    uint64_t sets[5];
    int have_caps = drop_bounding(plan, sets);
    if (have_caps < 0)
        return -1;
    if (set_identity(plan) < 0)
        return -1;
    if (chdir(cwd) < 0)
        return fail("chdir to the working directory %s", cwd);
    if (have_caps == 0 && set_capabilities(sets) < 0)
        return -1;
    if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return fail("prctl(PR_SET_NO_NEW_PRIVS)");
    if (nnp && seccomp_apply(plan) < 0)
        return -1;
    return 0;
}

/* The program to run: args[0] as given when it has a '/', else searched in the container's PATH. */
static int find_program(const char *name, char *const *env, char *out, size_t size) {
    if (strchr(name, '/')) {
        snprintf(out, size, "%s", name);
        return 0;
    }
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (int i = 0; env[i]; i++)
        if (!strncmp(env[i], "PATH=", 5))
            path = env[i] + 5;
    int saw_eacces = 0;
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(out, size, "%.*s/%s", (int)len, len ? path : ".", name);
        if (access(out, X_OK) == 0) {
            struct stat st;
            if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
                return 0;
        } else if (errno == EACCES) {
            saw_eacces = 1;
        }
        path += len + (colon ? 1 : 0);
        if (!colon)
            break;
    }
    errno = saw_eacces ? EACCES : ENOENT;
    return fail("exec: \"%s\": executable file not found in $PATH", name);
}

int process_exec(const struct plan *plan) {
    const struct record *args = plan_find(plan, "args");
    if (!args || args->argc == 0)
        return failx("the plan has no args to run");
    const struct record *env = plan_find(plan, "env");
    char *empty[] = {NULL};
    char **envp = empty;
    if (env) {
        envp = calloc((size_t)env->argc + 1, sizeof(char *));
        memcpy(envp, env->argv, (size_t)env->argc * sizeof(char *));
    }
    char **argv = calloc((size_t)args->argc + 1, sizeof(char *));
    memcpy(argv, args->argv, (size_t)args->argc * sizeof(char *));
    if (process_drop_privileges(plan) < 0)
        return -1;
    char program[PATH_MAX];
    if (find_program(argv[0], envp, program, sizeof program) < 0)
        return -1;
    /* Nothing the shim holds may leak into the container. */
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    execve(program, argv, envp);
    return fail("exec %s", program);
}
