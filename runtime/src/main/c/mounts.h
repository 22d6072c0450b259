/* The container's root filesystem: mounts, devices, pivot_root, masked and readonly paths. */
#ifndef BERTH_MOUNTS_H
#define BERTH_MOUNTS_H

#include "plan.h"

/* Runs in the container's init, inside its new mount namespace, before pivot_root. */
int rootfs_prepare(const struct plan *plan);
/* pivot_root into the prepared rootfs. */
int rootfs_enter(const struct plan *plan);
/* Masked and readonly paths and a read-only root: after sysctls, which write under /proc/sys. */
int rootfs_seal(const struct plan *plan);

#endif
