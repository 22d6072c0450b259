#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char shim_error[1024];

int fail(const char *fmt, ...) {
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(shim_error, sizeof shim_error, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof shim_error)
        snprintf(shim_error + n, sizeof shim_error - (size_t)n, ": %s", strerror(saved));
    errno = saved;
    return -1;
}

int failx(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(shim_error, sizeof shim_error, fmt, ap);
    va_end(ap);
    return -1;
}

ssize_t read_all(int fd, void *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = read(fd, (char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

int write_all(int fd, const void *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

char *read_file(const char *path, size_t max, size_t *len_out) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail("open %s", path);
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        close(fd);
        fail("allocate %zu bytes for %s", max, path);
        return NULL;
    }
    ssize_t n = read_all(fd, buf, max + 1);
    close(fd);
    if (n < 0) {
        free(buf);
        fail("read %s", path);
        return NULL;
    }
    if ((size_t)n > max) {
        free(buf);
        failx("%s is larger than %zu bytes", path, max);
        return NULL;
    }
    buf[n] = '\0';
    if (len_out)
        *len_out = (size_t)n;
    return buf;
}

int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return failx("path too long: %s", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return fail("create %s", tmp);
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        fail("write %s", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        fail("rename %s to %s", tmp, path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

int write_file(const char *path, const char *data) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("open %s", path);
    int rc = write_all(fd, data, strlen(data));
    int saved = errno;
    close(fd);
    errno = saved;
    return rc < 0 ? fail("write \"%s\" to %s", data, path) : 0;
}

int unix_listen(const char *dir, const char *name, int backlog) {
    /* sun_path holds 108 bytes and state dirs may be longer: bind through the directory's fd. */
    int dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0)
        return fail("open %s", dir);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int n = snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir_fd, name);
    int fd = -1;
    if (n < 0 || n >= (int)sizeof addr.sun_path) {
        failx("socket name %s is too long", name);
        goto out;
    }
    unlinkat(dir_fd, name, 0); /* left by an earlier shim */
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        fail("socket");
        goto out;
    }
    mode_t old = umask(0077);
    int rc = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (rc < 0 || listen(fd, backlog) < 0) {
        fail("listen on %s/%s", dir, name);
        close(fd);
        fd = -1;
    }
out:
    close(dir_fd);
    return fd;
}

int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void format_rfc3339nano(int64_t ns, char *out, size_t size) {
    time_t secs = (time_t)(ns / 1000000000LL);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%09lldZ", date, (long long)(ns % 1000000000LL));
}

int send_fd(int sock, char tag, int fd) {
    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof control);
    struct iovec iov = {&tag, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : fail("send a file descriptor");
}

int recv_fd(int sock, char *tag) {
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {tag, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    return fd;
}

int open_pty_pair(int *master, int *slave) {
    char name[64];
    *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0 || ptsname_r(*master, name, sizeof name) != 0)
        return fail("allocate a pty");
    *slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    return *slave < 0 ? fail("open %s", name) : 0;
}
