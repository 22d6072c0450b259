/* The OCI seccomp profile as a kernel filter, built with libseccomp. */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include "plan.h"

/* Loads the filter the plan describes (records "seccomp", "seccomp_arch", "seccomp_rule"); no-op without one. */
int seccomp_apply(const struct plan *plan);

#endif
