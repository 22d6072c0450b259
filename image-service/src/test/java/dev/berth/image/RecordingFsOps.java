package dev.berth.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link FsOps} for tests without root: records calls; a whiteout or device becomes an empty marker file. */
final class RecordingFsOps implements FsOps {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        calls.add("mknod " + path.getFileName() + " " + Integer.toOctalString(mode) + " " + major + ":" + minor);
        try {
            Files.createFile(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void lchown(Path path, long uid, long gid) {
        calls.add("lchown " + path.getFileName() + " " + uid + ":" + gid);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        calls.add("lsetxattr " + path.getFileName() + " " + name + "=" + new String(value));
    }
}
