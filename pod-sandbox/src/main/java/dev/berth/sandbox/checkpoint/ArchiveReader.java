package dev.berth.sandbox.checkpoint;

import dev.berth.image.ImageException;
import dev.berth.image.UntrustedTar;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a checkpoint archive from outside into a directory of Berth's, refusing anything but
 * the layout Berth writes. The archive is untrusted, so:
 * <ul>
 *   <li>only regular files (and the {@code checkpoint/} directory) are accepted: a symbolic link,
 *       hard link, device node or fifo is refused wherever it appears, so is an absolute name, a
 *       {@code ..}, an unknown or repeated name, or a file nested below {@code checkpoint/};</li>
 *   <li>each file is bounded (the metadata at 1 MiB, the logs at 256 MiB) and so is the archive
 *       as a whole ({@link Limits}); tar headers are read with the image layers' guard;</li>
 *   <li>files are created new, without following links, in a directory this reader makes, so
 *       nothing can be written anywhere else; the logs and spec are checked but not unpacked.</li>
 * </ul>
 * {@code config.dump} is parsed and checked; CRIU's images and the rootfs diff are checked by
 * what consumes them (the runtime, and the image service's layer rules).
 */
public final class ArchiveReader {
    private static final Pattern IMAGE_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_NAME = 255;

    /** How much an archive may hold, in bytes (the sum of its files) and entries. */
    public record Limits(long maxBytes, int maxEntries) {}

    /** An unpacked archive: its config, CRIU's images and the writable layer's tar, all under {@code dir}. */
    public record Extracted(Path dir, CheckpointConfig config, Path images, Path rootfsDiff) {}

    private ArchiveReader() {}

    /** Whether an image reference names a checkpoint archive on this node rather than an image (an absolute path). */
    public static boolean namesArchive(String imageReference) {
        return imageReference.startsWith("/");
    }

    /**
     * Unpacks {@code archive} (tar, or gzip-compressed tar) into {@code into}, which must not exist;
     * on any refusal {@code into} is left for the caller to delete and nothing else was written.
     */
    public static Extracted extract(Path archive, Path into, Limits limits) {
        if (!Files.isRegularFile(archive)) {
            throw new CheckpointArchiveException("checkpoint archive " + archive + " does not exist or is not a regular file");
        }
        try {
            Files.createDirectory(into, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(into.resolve(ArchiveLayout.IMAGES));
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
                unpack(decompressed(raw), into, limits);
            }
            for (String required : new String[] {ArchiveLayout.CONFIG, ArchiveLayout.ROOTFS_DIFF}) {
                if (!Files.isRegularFile(into.resolve(required), LinkOption.NOFOLLOW_LINKS)) {
                    throw new CheckpointArchiveException("it has no " + required);
                }
            }
            CheckpointConfig config = CheckpointConfig.parse(Files.readAllBytes(into.resolve(ArchiveLayout.CONFIG)));
            return new Extracted(into, config, into.resolve(ArchiveLayout.IMAGES), into.resolve(ArchiveLayout.ROOTFS_DIFF));
        } catch (CheckpointArchiveException e) {
            throw new CheckpointArchiveException("checkpoint archive " + archive + ": " + e.getMessage(), e);
        } catch (ImageException e) {
            throw new CheckpointArchiveException("checkpoint archive " + archive + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CheckpointArchiveException("checkpoint archive " + archive + " cannot be read as a tar archive: " + e.getMessage(), e);
        }
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static void unpack(InputStream in, Path into, Limits limits) throws IOException {
        TarArchiveInputStream tar = UntrustedTar.open(in);
        Set<String> seen = new HashSet<>();
        long total = 0;
        int entries = 0;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (++entries > limits.maxEntries()) {
                throw new CheckpointArchiveException("it has more than " + limits.maxEntries() + " entries");
            }
            if (e.isDirectory() && (e.getName().equals("./") || e.getName().equals("."))) {
                continue; // the archive's own top directory, as `tar -C dir .` writes it
            }
            String name = clean(e.getName());
            if (!seen.add(name)) {
                throw new CheckpointArchiveException("entry \"" + name + "\" appears twice");
            }
            if (e.isDirectory()) {
                if (!name.equals(ArchiveLayout.IMAGES)) {
                    throw new CheckpointArchiveException("directory \"" + name + "\" is not part of a checkpoint (only "
                            + ArchiveLayout.IMAGES + "/ is)");
                }
                continue;
            }
            requireRegular(e, name);
            long limit = limitOf(name);
            if (e.getSize() < 0 || e.getSize() > limit) {
                throw new CheckpointArchiveException("entry \"" + name + "\" is " + e.getSize() + " bytes, above its limit of " + limit);
            }
            total += e.getSize();
            if (total > limits.maxBytes()) {
                throw new CheckpointArchiveException("its files add up to more than " + limits.maxBytes()
                        + " bytes (checkpoint.max_archive_bytes)");
            }
            if (name.startsWith(ArchiveLayout.IMAGES + "/") || ArchiveLayout.EXTRACTED.contains(name)) {
                try (OutputStream out = Files.newOutputStream(into.resolve(name), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    tar.transferTo(out);
                }
            }
        }
    }

    /** The entry name without a leading "./" or trailing "/"; refused when it could point anywhere but inside. */
    private static String clean(String raw) {
        String name = raw;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (raw.startsWith("/")) {
            throw new CheckpointArchiveException("entry \"" + CheckpointConfig.printable(raw) + "\" is an absolute path");
        }
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CheckpointArchiveException("entry \"" + CheckpointConfig.printable(raw) + "\" has an empty, overlong or unprintable name");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new CheckpointArchiveException("entry \"" + CheckpointConfig.printable(raw) + "\" has a \"..\", \".\" or empty component");
            }
        }
        return name;
    }

    private static void requireRegular(TarArchiveEntry e, String name) {
        String kind = e.isSymbolicLink() ? "a symbolic link (to \"" + CheckpointConfig.printable(e.getLinkName()) + "\")"
                : e.isLink() ? "a hard link (to \"" + CheckpointConfig.printable(e.getLinkName()) + "\")"
                : e.isCharacterDevice() || e.isBlockDevice() ? "a device node"
                : e.isFIFO() ? "a fifo"
                : e.isFile() && e.getLinkFlag() != TarArchiveEntry.LF_GNUTYPE_SPARSE ? null
                : "of unsupported type '" + (char) e.getLinkFlag() + "'";
        if (kind != null) {
            throw new CheckpointArchiveException("entry \"" + name + "\" is " + kind + "; a checkpoint holds regular files only");
        }
    }

    private static long limitOf(String name) {
        if (name.startsWith(ArchiveLayout.IMAGES + "/")) {
            String file = name.substring(ArchiveLayout.IMAGES.length() + 1);
            if (!IMAGE_FILE.matcher(file).matches()) {
                throw new CheckpointArchiveException("entry \"" + name + "\" is not a CRIU image file (nested, or an odd name)");
            }
            return Long.MAX_VALUE;
        }
        Long limit = ArchiveLayout.FILES.get(name);
        if (limit == null) {
            throw new CheckpointArchiveException("entry \"" + name + "\" is not part of a Berth checkpoint (expected "
                    + new java.util.TreeSet<>(ArchiveLayout.FILES.keySet()) + " and " + ArchiveLayout.IMAGES + "/)");
        }
        return limit;
    }
}
