#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util.h"

#define MAX_SYMLINKS 40

/*
 * Resolves path inside the directory rootfd, the way the container will see it: absolute
 * symlinks restart at rootfd, and a symlink whose ".." would climb above the root is refused
 * (an image never needs that; it is how a bundle tries to mount over a host path).
 * Missing directories are created (mode 0755); a missing last component is created as a
 * directory, or as an empty file when want_file is set. Returns an O_PATH fd, or -1.
 */
static int resolve_in_root(int rootfd, const char *path, int create, int want_file) {
    char rest[PATH_MAX];
    int links = 0;
    if (snprintf(rest, sizeof rest, "%s", path) >= (int)sizeof rest)
        return failx("path too long: %s", path);
    int cur = dup(rootfd);
    int depth = 0;
    if (cur < 0)
        return fail("dup");
    char *p = rest;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        char name[NAME_MAX + 1];
        if (len > NAME_MAX) {
            close(cur);
            return failx("path component too long in %s", path);
        }
        memcpy(name, p, len);
        name[len] = '\0';
        p += len;
        int last = (*p == '\0' || strspn(p, "/") == strlen(p));
        if (strcmp(name, ".") == 0)
            continue;
        if (strcmp(name, "..") == 0) {
            if (depth == 0) {
                close(cur);
                return failx("%s resolves outside the container's root filesystem (a \"..\" above /)", path);
            }
            int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
            close(cur);
            if (up < 0)
                return fail("resolve %s", path);
            cur = up;
            depth--;
            continue;
        }
        struct stat st;
        if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno != ENOENT || !create) {
                close(cur);
                return fail("resolve %s", path);
            }
            if (last && want_file) {
                int fd = openat(cur, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (fd < 0) {
                    close(cur);
                    return fail("create file %s in the container", path);
                }
                close(fd);
            } else if (mkdirat(cur, name, 0755) < 0 && errno != EEXIST) {
                close(cur);
                return fail("create directory %s in the container", path);
            }
            if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                close(cur);
                return fail("resolve %s", path);
            }
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > MAX_SYMLINKS) {
                close(cur);
                return failx("too many symlinks resolving %s", path);
            }
            char target[PATH_MAX];
            ssize_t n = readlinkat(cur, name, target, sizeof target - 1);
            if (n < 0) {
                close(cur);
                return fail("readlink in %s", path);
            }
            target[n] = '\0';
            char joined[PATH_MAX];
            if (snprintf(joined, sizeof joined, "%s/%s", target, p) >= (int)sizeof joined) {
                close(cur);
                return failx("path too long resolving %s", path);
            }
            strcpy(rest, joined);
            p = rest;
            if (target[0] == '/') { /* absolute: from the container's root */
                close(cur);
                cur = dup(rootfd);
                depth = 0;
            }
            continue;
        }
        int next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        close(cur);
        if (next < 0)
            return fail("resolve %s", path);
        cur = next;
        depth++;
    }
    return cur;
}

static void fd_path(int fd, char *out, size_t size) {
    snprintf(out, size, "/proc/self/fd/%d", fd);
}

/* A bind mount of a file needs a file to mount on; everything else a directory. */
static int source_is_file(const char *source) {
    struct stat st;
    return stat(source, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int do_mount(int rootfd, const struct record *r) {
    if (r->argc < 6)
        return failx("mount record needs 6 fields, has %d", r->argc);
    const char *dest = r->argv[0], *type = r->argv[1], *source = r->argv[2], *data = r->argv[5];
    uint64_t flags, propagation;
    if (plan_u64(r->argv[3], &flags) < 0 || plan_u64(r->argv[4], &propagation) < 0)
        return -1;
    int bind = (flags & MS_BIND) != 0;
    int fd = resolve_in_root(rootfd, dest, 1, bind && source_is_file(source));
    if (fd < 0) {
        char reason[sizeof shim_error];
        snprintf(reason, sizeof reason, "%s", shim_error);
        return failx("mount destination %s: %s", dest, reason);
    }
    char target[64];
    fd_path(fd, target, sizeof target);
    unsigned long first = bind ? (flags & (MS_BIND | MS_REC)) : flags;
    int rc = mount(source, target, bind ? NULL : type, first, *data && !bind ? data : NULL);
    close(fd);
    if (rc < 0)
        return fail("mount %s (%s) on %s", source, type, dest);
    /* Flags of a bind mount apply only through a remount of the new mount itself. */
    unsigned long remount = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME);
    if ((bind && remount) || propagation) {
        fd = resolve_in_root(rootfd, dest, 0, 0);
        if (fd < 0)
            return -1;
        fd_path(fd, target, sizeof target);
        if (bind && remount && mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | remount, NULL) < 0) {
            close(fd);
            return fail("remount %s with flags 0x%lx", dest, remount);
        }
        if (propagation && mount(NULL, target, NULL, (unsigned long)propagation, NULL) < 0) {
            close(fd);
            return fail("set propagation 0x%lx on %s", (unsigned long)propagation, dest);
        }
        close(fd);
    }
    return 0;
}

static int make_device(int rootfd, const struct record *r) {
    if (r->argc < 7)
        return failx("device record needs 7 fields");
    const char *path = r->argv[0];
    uint64_t major, minor, mode, uid, gid;
    if (plan_u64(r->argv[2], &major) || plan_u64(r->argv[3], &minor) || plan_u64(r->argv[4], &mode)
        || plan_u64(r->argv[5], &uid) || plan_u64(r->argv[6], &gid))
        return -1;
    mode_t type;
    switch (r->argv[1][0]) {
    case 'c': case 'u': type = S_IFCHR; break;
    case 'b': type = S_IFBLK; break;
    case 'p': type = S_IFIFO; break;
    default: return failx("device %s has unknown type %s", path, r->argv[1]);
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    if (slash)
        *slash = '\0';
    int dir = resolve_in_root(rootfd, slash && parent[0] ? parent : "/", 1, 0);
    if (dir < 0)
        return -1;
    unlinkat(dir, base, 0);
    int rc = mknodat(dir, base, type | (mode_t)(mode & 07777), makedev(major, minor));
    if (rc < 0 && (errno == EPERM || errno == EACCES)) {
        /* No CAP_MKNOD (user namespace): bind the host's device instead, as runc does. */
        int fd = openat(dir, base, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0)
            close(fd);
        char target[PATH_MAX + 32];
        snprintf(target, sizeof target, "/proc/self/fd/%d/%s", dir, base);
        rc = mount(path, target, NULL, MS_BIND, NULL);
    } else if (rc == 0) {
        if (fchownat(dir, base, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0) {
            close(dir);
            return fail("chown device %s", path);
        }
        /* mknod applies the umask; the mode must be exact. */
        char target[PATH_MAX + 32];
        snprintf(target, sizeof target, "/proc/self/fd/%d/%s", dir, base);
        chmod(target, (mode_t)(mode & 07777));
    }
    close(dir);
    return rc < 0 ? fail("create device %s", path) : 0;
}

static int make_symlink(int rootfd, const struct record *r) {
    if (r->argc < 2)
        return failx("symlink record needs 2 fields");
    const char *target = r->argv[0], *link = r->argv[1];
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", link);
    char *slash = strrchr(parent, '/');
    if (!slash)
        return failx("symlink path %s is not absolute", link);
    *slash = '\0';
    int dir = resolve_in_root(rootfd, parent[0] ? parent : "/", 1, 0);
    if (dir < 0)
        return -1;
    int rc = symlinkat(target, dir, slash + 1);
    close(dir);
    return rc < 0 && errno != EEXIST ? fail("symlink %s -> %s", link, target) : 0;
}

int rootfs_prepare(const struct plan *plan) {
    const char *rootfs = plan_get(plan, "rootfs", NULL);
    if (!rootfs)
        return failx("the plan names no rootfs");
    uint64_t propagation = MS_REC | MS_SLAVE;
    const char *prop = plan_get(plan, "rootfs_propagation", NULL);
    if (prop && plan_u64(prop, &propagation) < 0)
        return -1;
    /* Nothing mounted here may propagate back to the host. */
    if (mount(NULL, "/", NULL, (unsigned long)propagation, NULL) < 0)
        return fail("make / mount propagation 0x%lx", (unsigned long)propagation);
    if (propagation & MS_SHARED) {
        /* pivot_root refuses a shared new root or a shared parent of either root (EINVAL). Only
           those two mounts turn private; the mounts below stay shared with the host, which is
           what rshared (Bidirectional volumes) is for. The rootfs need not be a mount point. */
        if (mount(NULL, "/", NULL, MS_PRIVATE, NULL) < 0)
            return fail("make / private for pivot_root");
        if (mount(NULL, rootfs, NULL, MS_PRIVATE, NULL) < 0 && errno != EINVAL)
            return fail("make rootfs %s private for pivot_root", rootfs);
    }
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return fail("bind rootfs %s onto itself", rootfs);
    int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return fail("open rootfs %s", rootfs);
    int rc = 0;
    for (int i = 0; i < plan->count && rc == 0; i++) {
        const struct record *r = &plan->records[i];
        if (strcmp(r->name, "mount") == 0)
            rc = do_mount(rootfd, r);
        else if (strcmp(r->name, "device") == 0)
            rc = make_device(rootfd, r);
        else if (strcmp(r->name, "symlink") == 0)
            rc = make_symlink(rootfd, r);
    }
    close(rootfd);
    return rc;
}

static int mask_path(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0)
        return errno == ENOENT ? 0 : fail("stat masked path %s", path);
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
            return fail("mask %s with an empty read-only tmpfs", path);
    } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
        return fail("mask %s with /dev/null", path);
    }
    return 0;
}

static int readonly_path(const char *path) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
        return errno == ENOENT ? 0 : fail("bind %s read-only", path);
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC, NULL) < 0)
        return fail("remount %s read-only", path);
    return 0;
}

int rootfs_enter(const struct plan *plan) {
    const char *rootfs = plan_get(plan, "rootfs", NULL);
    /* Where "." points after pivot_root is not promised by the kernel: hold the old root by fd. */
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0)
        return fail("open the old root");
    if (chdir(rootfs) < 0) {
        close(oldroot);
        return fail("chdir %s", rootfs);
    }
    /* pivot_root(".", ".") stacks the old root over the new one; detaching it leaves only the new. */
    if (syscall(SYS_pivot_root, ".", ".") == 0) {
        int rc = fchdir(oldroot);
        close(oldroot);
        if (rc < 0)
            return fail("fchdir to the old root");
        /* The old root's mounts may be peers of the host's (rshared): unmounting them must not
           propagate there, so they become slaves first. */
        if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
            return fail("make the old root a slave before detaching it");
        if (umount2(".", MNT_DETACH) < 0)
            return fail("detach the old root");
    } else if (errno == EINVAL) {
        close(oldroot);
        /* The host root cannot be pivoted (initramfs): move the mount and chroot instead. */
        if (mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
            return fail("enter rootfs %s (move and chroot)", rootfs);
    } else {
        close(oldroot);
        return fail("pivot_root into %s", rootfs);
    }
    if (chdir("/") < 0)
        return fail("chdir /");
    return 0;
}

int rootfs_seal(const struct plan *plan) {
    for (int i = 0; i < plan->count; i++) {
        const struct record *r = &plan->records[i];
        if (r->argc < 1)
            continue;
        if (strcmp(r->name, "masked") == 0 && mask_path(r->argv[0]) < 0)
            return -1;
        if (strcmp(r->name, "readonly") == 0 && readonly_path(r->argv[0]) < 0)
            return -1;
    }
    if (plan_find(plan, "rootfs_readonly")
        && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
        return fail("remount the root filesystem read-only");
    return 0;
}
