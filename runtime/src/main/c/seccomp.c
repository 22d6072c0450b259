#define _GNU_SOURCE
#include "seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* OCI action names to libseccomp actions; errno_ret is used by ERRNO and TRACE. */
static int action_of(const char *name, uint32_t errno_ret, uint32_t *out) {
    if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD")) *out = SCMP_ACT_KILL;
    else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) *out = SCMP_ACT_KILL_PROCESS;
    else if (!strcmp(name, "SCMP_ACT_TRAP")) *out = SCMP_ACT_TRAP;
    else if (!strcmp(name, "SCMP_ACT_ERRNO")) *out = SCMP_ACT_ERRNO(errno_ret);
    else if (!strcmp(name, "SCMP_ACT_TRACE")) *out = SCMP_ACT_TRACE(errno_ret);
    else if (!strcmp(name, "SCMP_ACT_ALLOW")) *out = SCMP_ACT_ALLOW;
    else if (!strcmp(name, "SCMP_ACT_LOG")) *out = SCMP_ACT_LOG;
    else return failx("unknown seccomp action %s", name);
    return 0;
}

static int op_of(const char *name, enum scmp_compare *out) {
    static const struct { const char *name; enum scmp_compare op; } ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
        {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(name, ops[i].name)) {
            *out = ops[i].op;
            return 0;
        }
    return failx("unknown seccomp operator %s", name);
}

/* seccomp_rule <action> <errno> <syscall> then (<index> <op> <value> <value2>)* */
static int add_rule(scmp_filter_ctx ctx, const struct record *r) {
    if (r->argc < 3 || (r->argc - 3) % 4 != 0)
        return failx("seccomp_rule record has %d fields", r->argc);
    uint64_t errno_ret;
    uint32_t action;
    if (plan_u64(r->argv[1], &errno_ret) < 0 || action_of(r->argv[0], (uint32_t)errno_ret, &action) < 0)
        return -1;
    int nr = seccomp_syscall_resolve_name(r->argv[2]);
    if (nr == __NR_SCMP_ERROR)
        return 0; /* a syscall this kernel or libseccomp does not know: nothing to filter, as runc does */
    int nargs = (r->argc - 3) / 4;
    struct scmp_arg_cmp args[6];
    if (nargs > 6)
        return failx("seccomp rule for %s has %d argument conditions", r->argv[2], nargs);
    for (int i = 0; i < nargs; i++) {
        uint64_t index, value, value2;
        enum scmp_compare op = SCMP_CMP_EQ;
        char **a = r->argv + 3 + i * 4;
        if (plan_u64(a[0], &index) < 0 || op_of(a[1], &op) < 0 || plan_u64(a[2], &value) < 0 || plan_u64(a[3], &value2) < 0)
            return -1;
        args[i] = (struct scmp_arg_cmp){.arg = (unsigned)index, .op = op, .datum_a = value, .datum_b = value2};
    }
    int rc = seccomp_rule_add_array(ctx, action, nr, (unsigned)nargs, args);
    /* Adding the default action as a rule is refused; it is a no-op anyway. */
    if (rc == -EACCES || rc == -EEXIST)
        return 0;
    if (rc < 0) {
        errno = -rc;
        return fail("seccomp rule for %s", r->argv[2]);
    }
    return 0;
}

int seccomp_apply(const struct plan *plan) {
    const struct record *def = plan_find(plan, "seccomp");
    if (!def)
        return 0;
    if (def->argc < 2)
        return failx("seccomp record needs 2 fields");
    uint64_t errno_ret;
    uint32_t action;
    if (plan_u64(def->argv[1], &errno_ret) < 0 || action_of(def->argv[0], (uint32_t)errno_ret, &action) < 0)
        return -1;
    scmp_filter_ctx ctx = seccomp_init(action);
    if (!ctx)
        return failx("seccomp_init failed");
    int rc = 0;
    for (int i = 0; i < plan->count && rc == 0; i++) {
        const struct record *r = &plan->records[i];
        if (!strcmp(r->name, "seccomp_arch") && r->argc > 0) {
            uint32_t arch = seccomp_arch_resolve_name(r->argv[0]);
            int a = arch ? seccomp_arch_add(ctx, arch) : 0;
            if (a < 0 && a != -EEXIST) {
                errno = -a;
                rc = fail("seccomp architecture %s", r->argv[0]);
            }
        } else if (!strcmp(r->name, "seccomp_rule")) {
            rc = add_rule(ctx, r);
        }
    }
    if (rc == 0) {
        /* The filter must not be bypassable by a process that gains privileges. */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        int l = seccomp_load(ctx);
        if (l < 0) {
            errno = -l;
            rc = fail("load the seccomp filter");
        }
    }
    seccomp_release(ctx);
    return rc;
}
