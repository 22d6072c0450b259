package dev.berth.image;

import java.io.IOException;
import java.io.InputStream;

/** skip() for streams that must see every byte (digests, header checks): it reads instead of seeking. */
final class SkipByReading {
    private SkipByReading() {}

    static long skip(InputStream self, long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = self.read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }
}
