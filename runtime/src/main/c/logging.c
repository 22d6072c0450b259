#define _GNU_SOURCE
#include "logging.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util.h"

int logger_open(struct logger *log, const char *path) {
    log->path = path;
    log->fd = -1;
    if (!path)
        return 0;
    log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    return log->fd < 0 ? fail("open container log %s", path) : 0;
}

int logger_reopen(struct logger *log) {
    if (!log->path)
        return 0;
    int fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return fail("reopen container log %s", log->path);
    if (log->fd >= 0)
        close(log->fd);
    log->fd = fd;
    return 0;
}

static void emit(struct logger *log, const char *stream, char tag, const char *content, size_t n) {
    if (log->fd < 0)
        return;
    char head[64];
    format_rfc3339nano(now_ns(), head, sizeof head);
    size_t h = strlen(head);
    h += (size_t)snprintf(head + h, sizeof head - h, " %s %c ", stream, tag);
    struct iovec iov[3] = {{head, h}, {(void *)content, n}, {"\n", 1}};
    /* One writev per entry: O_APPEND keeps entries whole even if a reader rotates the file. */
    ssize_t total = (ssize_t)(h + n + 1), done = writev(log->fd, iov, 3);
    if (done >= 0 && done < total) {
        /* A short write (disk full): the rest of the entry, so the file stays parseable. */
        char rest[LOG_LINE_MAX + 80];
        size_t off = 0;
        for (int i = 0; i < 3; i++) {
            memcpy(rest + off, iov[i].iov_base, iov[i].iov_len);
            off += iov[i].iov_len;
        }
        write_all(log->fd, rest + done, (size_t)(total - done));
    }
}

void logger_write(struct logger *log, struct log_stream *s, const char *data, size_t n) {
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        size_t room = LOG_LINE_MAX - s->len;
        if (take >= room) {
            memcpy(s->buf + s->len, data, room);
            emit(log, s->name, 'P', s->buf, LOG_LINE_MAX);
            s->len = 0;
            data += room;
            n -= room;
            continue;
        }
        memcpy(s->buf + s->len, data, take);
        s->len += take;
        data += take;
        n -= take;
        if (nl) {
            emit(log, s->name, 'F', s->buf, s->len);
            s->len = 0;
            data++;
            n--;
        }
    }
}

void logger_flush(struct logger *log, struct log_stream *s) {
    if (s->len > 0)
        emit(log, s->name, 'F', s->buf, s->len);
    s->len = 0;
}
