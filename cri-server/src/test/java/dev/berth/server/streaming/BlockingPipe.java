package dev.berth.server.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/** A bounded in-memory pipe for fake processes: writes block when full, reads block when empty. */
final class BlockingPipe {
    private final byte[] ring;
    private int start;
    private int size;
    private boolean writeClosed;
    private boolean broken;
    private int activeReaders;

    BlockingPipe(int capacity) {
        ring = new byte[capacity];
    }

    /** Ends the data: readers get EOF once it is drained. */
    synchronized void closeWrite() {
        writeClosed = true;
        notifyAll();
    }

    /** Breaks the pipe: readers get EOF now, writers an IOException. */
    synchronized void breakPipe() {
        broken = true;
        writeClosed = true;
        notifyAll();
    }

    /** Threads currently inside a read call. */
    synchronized int activeReaders() {
        return activeReaders;
    }

    final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            synchronized (BlockingPipe.this) {
                activeReaders++;
                try {
                    while (size == 0 && !writeClosed) {
                        BlockingPipe.this.wait();
                    }
                    if (size == 0 || broken) {
                        return -1;
                    }
                    int n = Math.min(len, size);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = ring[(start + i) % ring.length];
                    }
                    start = (start + n) % ring.length;
                    size -= n;
                    BlockingPipe.this.notifyAll();
                    return n;
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                } finally {
                    activeReaders--;
                }
            }
        }

        @Override
        public void close() {
            breakPipe();
        }
    };

    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (BlockingPipe.this) {
                try {
                    for (int i = 0; i < len; i++) {
                        while (size == ring.length && !broken && !writeClosed) {
                            BlockingPipe.this.wait();
                        }
                        if (broken || writeClosed) {
                            throw new IOException("broken pipe");
                        }
                        ring[(start + size) % ring.length] = b[off + i];
                        size++;
                        BlockingPipe.this.notifyAll();
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
        }

        @Override
        public void close() {
            closeWrite();
        }
    };
}
