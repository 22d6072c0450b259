package dev.berth.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches the tar stream on its way to the tar reader and refuses extended headers (GNU long
 * names and links, PAX records) larger than a limit before the reader buffers them in memory.
 * It follows the record layout as commons-compress does: a 512-byte header, then the entry's
 * size in data rounded up to 512. Old GNU sparse entries are refused outright.
 */
final class TarHeaderGuard extends FilterInputStream {
    static final int MAX_EXTENDED_HEADER = 1 << 20;
    private final byte[] header = new byte[512];
    private int headerFill;
    private long skipRemaining;

    TarHeaderGuard(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            observe(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return SkipByReading.skip(this, n);
    }

    private void observe(byte[] b, int off, int n) {
        int i = off;
        int end = off + n;
        while (i < end) {
            if (skipRemaining > 0) {
                int k = (int) Math.min(skipRemaining, end - i);
                skipRemaining -= k;
                i += k;
                continue;
            }
            int k = Math.min(512 - headerFill, end - i);
            System.arraycopy(b, i, header, headerFill, k);
            headerFill += k;
            i += k;
            if (headerFill == 512) {
                headerFill = 0;
                onHeader();
            }
        }
    }

    private void onHeader() {
        char type = (char) header[156];
        long size = size();
        if ((type == 'L' || type == 'K' || type == 'x' || type == 'g' || type == 'X') && size > MAX_EXTENDED_HEADER) {
            throw new SnapshotPaths.UnsafeEntry("extended tar header (type '" + type + "') of " + size
                    + " bytes, above the limit of " + MAX_EXTENDED_HEADER);
        }
        if (type == 'S') {
            throw new SnapshotPaths.UnsafeEntry("old GNU sparse entries are not supported");
        }
        skipRemaining = (size + 511) / 512 * 512;
    }

    /** The size field: octal text, or base-256 when the high bit of its first byte is set. */
    private long size() {
        if ((header[124] & 0x80) != 0) {
            long v = header[124] & 0x7f;
            for (int j = 125; j < 136; j++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new SnapshotPaths.UnsafeEntry("tar size field out of range");
                }
                v = (v << 8) | (header[j] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int j = 124; j < 136; j++) {
            byte c = header[j];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
            } else if (c == 0 || c == ' ') {
                if (v > 0) {
                    break;
                }
            } else {
                return 0; // malformed: the tar reader reports it
            }
        }
        return v;
    }
}
