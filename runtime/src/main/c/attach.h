/* Attach: clients on <dir>/attach.sock get the container's output and feed its stdin (frames.h). */
#ifndef BERTH_ATTACH_H
#define BERTH_ATTACH_H

#include <poll.h>
#include <stddef.h>

#include "frames.h"

#define MAX_ATTACH 8

struct attach {
    int listen_fd;
    int clients[MAX_ATTACH];
    struct frame_reader readers[MAX_ATTACH];
    int stdin_fd;   /* the container's stdin (pipe or pty master), -1 when it has none */
    int tty_fd;     /* the pty master for resizes, or -1 */
    int stdin_once; /* close stdin when the first attached client detaches (CRI StdinOnce) */
    int had_client;
};

int attach_listen(struct attach *a, const char *dir);
/* Adds the listener and clients to fds; returns how many were added. */
int attach_pollfds(const struct attach *a, struct pollfd *fds);
/* Handles the events of the fds attach_pollfds added. */
void attach_handle(struct attach *a, const struct pollfd *fds);
/* Sends output to every client; a client that cannot keep up is dropped, so memory stays bounded. */
void attach_broadcast(struct attach *a, int type, const char *data, size_t n);
void attach_close(struct attach *a, const char *dir);

#endif
