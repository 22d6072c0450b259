/* The CRI log format, written by the shim itself: "<RFC3339Nano> <stream> <P|F> <content>\n". */
#ifndef BERTH_LOGGING_H
#define BERTH_LOGGING_H

#include <stddef.h>

/* kubelet's and containerd's limit: longer lines are split into partial ("P") entries. */
#define LOG_LINE_MAX (16 * 1024)

struct log_stream {
    const char *name; /* "stdout" or "stderr" */
    size_t len;
    char buf[LOG_LINE_MAX];
};

struct logger {
    const char *path;
    int fd; /* -1 when the container has no log path */
};

int logger_open(struct logger *log, const char *path);
/* Reopens the log path (after kubelet renamed the file for rotation). */
int logger_reopen(struct logger *log);
/* Splits output into lines and writes full ones; a line that fills the buffer is written as partial. */
void logger_write(struct logger *log, struct log_stream *stream, const char *data, size_t n);
/* Writes what is left of a stream at EOF. */
void logger_flush(struct logger *log, struct log_stream *stream);

#endif
