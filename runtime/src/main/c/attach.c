#define _GNU_SOURCE
#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

int attach_listen(struct attach *a, const char *dir) {
    for (int i = 0; i < MAX_ATTACH; i++)
        a->clients[i] = -1;
    a->listen_fd = unix_listen(dir, "attach.sock", MAX_ATTACH);
    return a->listen_fd < 0 ? -1 : 0;
}

int attach_pollfds(const struct attach *a, struct pollfd *fds) {
    fds[0] = (struct pollfd){.fd = a->listen_fd, .events = POLLIN};
    for (int i = 0; i < MAX_ATTACH; i++)
        fds[1 + i] = (struct pollfd){.fd = a->clients[i], .events = POLLIN};
    return 1 + MAX_ATTACH;
}

static void close_stdin(struct attach *a) {
    if (a->stdin_fd >= 0 && a->tty_fd < 0)
        close(a->stdin_fd); /* a pipe: the container reads EOF */
    if (a->tty_fd < 0)
        a->stdin_fd = -1;
}

static void drop(struct attach *a, int i) {
    close(a->clients[i]);
    a->clients[i] = -1;
    frame_consume(&a->readers[i]);
    if (a->stdin_once)
        close_stdin(a);
}

/* Writes stdin for the container; a container that does not read its stdin slows the client down. */
static void feed_stdin(struct attach *a, const unsigned char *data, size_t len) {
    if (a->stdin_fd < 0)
        return;
    struct pollfd p = {.fd = a->stdin_fd, .events = POLLOUT};
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(a->stdin_fd, data + done, len - done);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && errno == EAGAIN) {
            if (poll(&p, 1, 1000) <= 0)
                return; /* stuck for a second: drop the rest rather than stall every stream */
        } else if (n < 0 && errno != EINTR) {
            return;
        }
    }
}

void attach_handle(struct attach *a, const struct pollfd *fds) {
    if (fds[0].revents & POLLIN) {
        int fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        int placed = 0;
        for (int i = 0; fd >= 0 && i < MAX_ATTACH && !placed; i++)
            if (a->clients[i] < 0) {
                a->clients[i] = fd;
                frame_consume(&a->readers[i]);
                a->had_client = 1;
                placed = 1;
            }
        if (fd >= 0 && !placed)
            close(fd);
    }
    for (int i = 0; i < MAX_ATTACH; i++) {
        if (a->clients[i] < 0 || !fds[1 + i].revents)
            continue;
        int type;
        const unsigned char *payload;
        size_t len;
        int rc;
        while ((rc = frame_read(a->clients[i], &a->readers[i], &type, &payload, &len)) == 1) {
            if (type == FRAME_STDIN)
                feed_stdin(a, payload, len);
            else if (type == FRAME_STDIN_CLOSE)
                close_stdin(a);
            else if (type == FRAME_RESIZE)
                frame_resize(a->tty_fd, payload, len);
            frame_consume(&a->readers[i]);
        }
        if (rc < 0)
            drop(a, i);
    }
}

void attach_broadcast(struct attach *a, int type, const char *data, size_t n) {
    for (int i = 0; i < MAX_ATTACH; i++) {
        if (a->clients[i] < 0)
            continue;
        for (size_t off = 0; off < n; off += FRAME_MAX) {
            size_t chunk = n - off < FRAME_MAX ? n - off : FRAME_MAX;
            if (frame_send(a->clients[i], type, data + off, chunk) < 0) {
                drop(a, i);
                break;
            }
        }
    }
}

void attach_close(struct attach *a, const char *dir) {
    for (int i = 0; i < MAX_ATTACH; i++)
        if (a->clients[i] >= 0) {
            close(a->clients[i]);
            a->clients[i] = -1;
        }
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/attach.sock", dir);
    unlink(path);
}
