/* Small helpers shared by every part of berth-shim: errors, whole reads and writes, atomic files. */
#ifndef BERTH_UTIL_H
#define BERTH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The message of the last failure, reported to the daemon as the reason a step failed. */
extern char shim_error[1024];

/* Records "<what>: <strerror(errno)>" (printf-style) in shim_error and returns -1. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Records a message without errno and returns -1. */
int failx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

ssize_t read_all(int fd, void *buf, size_t len);
int write_all(int fd, const void *buf, size_t len);
/* Reads a whole small file (at most max bytes) into a malloc'd, NUL-terminated buffer. */
char *read_file(const char *path, size_t max, size_t *len_out);
/* Writes path via a temp file, fsync and rename, so readers see all of it or nothing. */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode);
/* Writes a short string to an existing file (cgroup and /proc knobs). */
int write_file(const char *path, const char *data);
/* Listens (non-blocking, close-on-exec, mode 0600) on unix socket <dir>/<name>, whatever dir's length;
   returns the fd, or -1 with shim_error set. */
int unix_listen(const char *dir, const char *name, int backlog);
int64_t now_ns(void);
/* Sends one byte tag with a file descriptor attached (SCM_RIGHTS); receives it back. */
int send_fd(int sock, char tag, int fd);
int recv_fd(int sock, char *tag);
/* Opens a new pty pair from the /dev/ptmx of the current root (the container's devpts once pivoted). */
int open_pty_pair(int *master, int *slave);
/* Formats an epoch-nanoseconds time as RFC 3339 with nanoseconds, UTC ("...Z"). */
void format_rfc3339nano(int64_t ns, char *out, size_t size);

#endif
