#define _GNU_SOURCE
#include "frames.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static size_t frame_length(const struct frame_reader *r) {
    return ((size_t)r->buf[1] << 24) | ((size_t)r->buf[2] << 16) | ((size_t)r->buf[3] << 8) | r->buf[4];
}

int frame_read(int fd, struct frame_reader *r, int *type, const unsigned char **payload, size_t *len) {
    size_t want = r->have < 5 ? 5 : 5 + frame_length(r);
    if (r->have >= 5 && frame_length(r) > FRAME_MAX)
        return -1;
    if (r->have < want) {
        ssize_t n = recv(fd, r->buf + r->have, want - r->have, MSG_DONTWAIT);
        if (n == 0)
            return -1;
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        r->have += (size_t)n;
        if (r->have == 5 && frame_length(r) > FRAME_MAX)
            return -1;
        want = r->have < 5 ? 5 : 5 + frame_length(r);
        if (r->have < want)
            return 0;
    }
    *type = r->buf[0];
    *payload = r->buf + 5;
    *len = frame_length(r);
    return 1;
}

void frame_consume(struct frame_reader *r) {
    r->have = 0;
}

int frame_send(int fd, int type, const void *data, size_t len) {
    unsigned char head[5] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                             (unsigned char)(len >> 8), (unsigned char)len};
    struct iovec iov[2] = {{head, 5}, {(void *)data, len}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
    ssize_t n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    return n == (ssize_t)(len + 5) ? 0 : -1;
}

void frame_resize(int tty, const unsigned char *payload, size_t len) {
    if (tty < 0 || len < 4)
        return;
    struct winsize ws = {.ws_col = (unsigned short)((payload[0] << 8) | payload[1]),
                         .ws_row = (unsigned short)((payload[2] << 8) | payload[3])};
    ioctl(tty, TIOCSWINSZ, &ws);
}
