/*
 * The framing of attach sockets (and an exec's console socket): one type byte, a 4-byte
 * big-endian length, then that many payload bytes (at most FRAME_MAX).
 *   client -> shim: FRAME_STDIN data, FRAME_STDIN_CLOSE, FRAME_RESIZE (u16 cols, u16 rows, big-endian)
 *   shim -> client: FRAME_STDOUT data, FRAME_STDERR data
 */
#ifndef BERTH_FRAMES_H
#define BERTH_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_STDIN 0
#define FRAME_STDIN_CLOSE 1
#define FRAME_RESIZE 2
#define FRAME_STDOUT 3
#define FRAME_STDERR 4
#define FRAME_MAX 32768

struct frame_reader {
    size_t have;
    unsigned char buf[5 + FRAME_MAX];
};

/*
 * Reads what fd has into the reader; returns 1 when a whole frame is ready (type, payload,
 * len set; consume it with frame_consume), 0 when more bytes are needed, -1 at EOF, on error
 * or on a frame larger than FRAME_MAX.
 */
int frame_read(int fd, struct frame_reader *r, int *type, const unsigned char **payload, size_t *len);
void frame_consume(struct frame_reader *r);
/* Sends one frame without blocking; returns -1 when it cannot be sent whole now. */
int frame_send(int fd, int type, const void *data, size_t len);
/* Applies a FRAME_RESIZE payload to a pty. */
void frame_resize(int tty, const unsigned char *payload, size_t len);

#endif
