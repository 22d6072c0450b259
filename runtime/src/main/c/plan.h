/*
 * The launch plan: what the daemon decided, in a form that needs no JSON parser.
 *
 * A plan file is a list of records, one per line. A record is netstrings ("<len>:<bytes>,")
 * followed by '\n': the first names the directive (e.g. "mount"), the rest are its arguments,
 * byte-exact, so paths and arguments may hold any byte but NUL. The daemon's PlanWriter
 * writes it; each part of the shim reads only the directives it owns.
 */
#ifndef BERTH_PLAN_H
#define BERTH_PLAN_H

#include <stdint.h>

struct record {
    const char *name;
    int argc;
    char **argv;
};

struct plan {
    char *buf;
    int count;
    struct record *records;
};

/* Parses the plan file at path; on error fills shim_error and returns -1. */
int plan_load(const char *path, struct plan *plan);
/* The first record with this name, or NULL. */
const struct record *plan_find(const struct plan *plan, const char *name);
/* The first argument of the first record named name, or fallback. */
const char *plan_get(const struct plan *plan, const char *name, const char *fallback);
/* Parses a decimal or 0x-hex argument; returns -1 and fills shim_error when it is not one. */
int plan_u64(const char *text, uint64_t *out);
int plan_i64(const char *text, int64_t *out);

#endif
