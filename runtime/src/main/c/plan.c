#define _GNU_SOURCE
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PLAN_MAX_BYTES (4 * 1024 * 1024)
#define PLAN_MAX_RECORDS 65536

/* Reads one netstring at *pos; returns its start (NUL-terminated in place) or NULL. */
static char *netstring(char *buf, size_t len, size_t *pos) {
    size_t p = *pos, n = 0;
    int digits = 0;
    while (p < len && buf[p] >= '0' && buf[p] <= '9' && digits < 9) {
        n = n * 10 + (size_t)(buf[p++] - '0');
        digits++;
    }
    if (digits == 0 || p >= len || buf[p] != ':' || n > len - p - 1 || p + 1 + n >= len || buf[p + 1 + n] != ',')
        return NULL;
    char *start = buf + p + 1;
    if (memchr(start, '\0', n))
        return NULL;
    start[n] = '\0'; /* overwrites the ',' */
    *pos = p + 2 + n;
    return start;
}

int plan_load(const char *path, struct plan *plan) {
    size_t len;
    memset(plan, 0, sizeof *plan);
    plan->buf = read_file(path, PLAN_MAX_BYTES, &len);
    if (!plan->buf)
        return -1;
    int capacity = 64;
    plan->records = calloc((size_t)capacity, sizeof *plan->records);
    size_t pos = 0;
    while (pos < len) {
        char *tokens[4096];
        int n = 0;
        while (pos < len && plan->buf[pos] != '\n') {
            if (n == 4096)
                return failx("plan %s: a record has more than 4096 fields", path);
            char *t = netstring(plan->buf, len, &pos);
            if (!t)
                return failx("plan %s: malformed field at byte %zu", path, pos);
            tokens[n++] = t;
        }
        pos++; /* the '\n' */
        if (n == 0)
            continue;
        if (plan->count == PLAN_MAX_RECORDS)
            return failx("plan %s: more than %d records", path, PLAN_MAX_RECORDS);
        if (plan->count == capacity) {
            capacity *= 2;
            plan->records = realloc(plan->records, (size_t)capacity * sizeof *plan->records);
            if (!plan->records)
                return fail("plan %s", path);
        }
        struct record *r = &plan->records[plan->count++];
        r->name = tokens[0];
        r->argc = n - 1;
        r->argv = calloc((size_t)n, sizeof(char *));
        if (!r->argv)
            return fail("plan %s", path);
        memcpy(r->argv, tokens + 1, (size_t)(n - 1) * sizeof(char *));
    }
    return 0;
}

const struct record *plan_find(const struct plan *plan, const char *name) {
    for (int i = 0; i < plan->count; i++)
        if (strcmp(plan->records[i].name, name) == 0)
            return &plan->records[i];
    return NULL;
}

const char *plan_get(const struct plan *plan, const char *name, const char *fallback) {
    const struct record *r = plan_find(plan, name);
    return r && r->argc > 0 ? r->argv[0] : fallback;
}

int plan_u64(const char *text, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || end == text || *end || text[0] == '-')
        return failx("\"%s\" is not an unsigned number", text);
    *out = v;
    return 0;
}

int plan_i64(const char *text, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 0);
    if (errno || end == text || *end)
        return failx("\"%s\" is not a number", text);
    *out = v;
    return 0;
}
