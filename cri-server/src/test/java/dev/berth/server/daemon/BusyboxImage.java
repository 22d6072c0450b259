package dev.berth.server.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A one-layer image layer with Debian's static busybox as /bin/busybox and a few applets linked
 * to it, plus users (root, app 1000, and app in the group extra 3000) for user-resolution tests.
 */
final class BusyboxImage {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final String NO_BUSYBOX = "needs " + BUSYBOX + " (Debian package busybox-static)";
    private static final List<String> APPLETS = List.of("sh", "awk", "cat", "pwd", "nc", "stty", "yes", "echo", "env", "hostname", "id", "ls", "readlink", "sleep",
            "tail", "head", "touch", "grep", "wc", "tr", "kill", "ps", "mount", "true", "false", "test");

    private BusyboxImage() {}

    static boolean available() {
        return Files.isExecutable(BUSYBOX);
    }

    static byte[] layer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : List.of("bin/", "etc/", "tmp/", "proc/", "dev/", "sys/", "root/", "home/app/")) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(d.equals("tmp/") ? 01777 : 0755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            file(tar, "bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
            for (String applet : APPLETS) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
                    .getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", "root:x:0:\napp:x:1000:\nextra:x:3000:app\n".getBytes(StandardCharsets.UTF_8), 0644);
            tar.finish();
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(mode);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
