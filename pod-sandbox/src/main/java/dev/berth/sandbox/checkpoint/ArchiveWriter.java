package dev.berth.sandbox.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs a staged checkpoint directory (laid out as {@link ArchiveLayout} says) into the archive
 * file kubelet or crictl asked for: gzip-compressed when the name ends in {@code .gz} or
 * {@code .tgz}, a plain tar otherwise (kubelet's {@code .tar}). Written to a temporary file
 * beside it and renamed, so the location holds a whole archive or none.
 */
public final class ArchiveWriter {
    private ArchiveWriter() {}

    public static void write(Path staged, Path location) throws IOException {
        Path tmp = location.resolveSibling("." + location.getFileName() + ".berth-" + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 16);
                    OutputStream out = compressed(location) ? new GZIPOutputStream(file, 1 << 16) : file) {
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                List<Path> files;
                try (Stream<Path> walk = Files.walk(staged)) {
                    files = walk.filter(p -> !p.equals(staged)).sorted().toList();
                }
                for (Path p : files) {
                    String name = staged.relativize(p).toString();
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        TarArchiveEntry e = new TarArchiveEntry(name);
                        e.setSize(Files.size(p));
                        e.setMode(0100600);
                        tar.putArchiveEntry(e);
                        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                            in.transferTo(tar);
                        }
                    } else {
                        continue; // only files and directories are staged; anything else is not the checkpoint's
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, location, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean compressed(Path location) {
        String name = location.getFileName().toString();
        return name.endsWith(".gz") || name.endsWith(".tgz");
    }
}
