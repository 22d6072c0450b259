package dev.berth.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Hashes and counts bytes as they stream, refusing more than {@code limit}; optionally copies
 * them to {@code tee}. {@link #verify} at the end compares digest and size with what was promised.
 */
final class CheckedStream extends FilterInputStream {
    private final MessageDigest hasher;
    private final String algorithm;
    private final long limit;
    private final String what;
    private final Optional<OutputStream> tee;
    private long count;

    CheckedStream(InputStream in, String algorithm, long limit, String what, Optional<OutputStream> tee) {
        super(in);
        this.algorithm = algorithm;
        this.hasher = Digest.newDigest(algorithm);
        this.limit = limit;
        this.what = what;
        this.tee = tee;
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
            count += n;
            if (count > limit) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, what + " is larger than " + limit + " bytes");
            }
            hasher.update(b, off, n);
            if (tee.isPresent()) {
                tee.get().write(b, off, n);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return SkipByReading.skip(this, n);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left (tar padding after the end marker counts too) so the digest covers it all. */
    void drain() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // counted and hashed by read
        }
    }

    long count() {
        return count;
    }

    Digest digest() {
        return Digest.of(algorithm, hasher.digest());
    }

    /** Checks digest and (when {@code size >= 0}) size; the message names {@code what}. */
    void verify(Digest expected, long size) {
        if (size >= 0 && count != size) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT,
                    what + ": size mismatch: expected " + size + " bytes, got " + count);
        }
        Digest actual = digest();
        if (!actual.equals(expected)) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT,
                    what + ": digest mismatch: expected " + expected + ", got " + actual);
        }
    }
}
