package dev.berth.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader for archives from outside that are not image layers (checkpoint archives), with
 * the header rules layers are read by ({@link TarHeaderGuard}: extended headers bounded before
 * they are buffered, old GNU sparse entries refused). A broken rule is an {@link ImageException}
 * of kind {@link ImageException.Kind#BAD_CONTENT}. What the entries may be is the caller's rule.
 */
public final class UntrustedTar {
    private UntrustedTar() {}

    public static TarArchiveInputStream open(InputStream in) {
        return new TarArchiveInputStream(new Translated(new TarHeaderGuard(in)), StandardCharsets.UTF_8.name());
    }

    /** The guard's refusal as this module's public exception. */
    private static final class Translated extends FilterInputStream {
        Translated(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SnapshotPaths.UnsafeEntry e) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, e.getMessage());
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SnapshotPaths.UnsafeEntry e) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, e.getMessage());
            }
        }

        @Override
        public long skip(long n) throws IOException {
            return SkipByReading.skip(this, n);
        }
    }
}
