package dev.berth.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link FsOps} for tests without root: records calls; a whiteout or device becomes an empty
 * marker file, remembered (with xattrs set) so the diff export sees what a real upper dir would hold.
 */
final class RecordingFsOps implements FsOps {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final java.util.Set<Path> whiteouts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, byte[]> xattrs = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        calls.add("mknod " + path.getFileName() + " " + Integer.toOctalString(mode) + " " + major + ":" + minor);
        if (mode == S_IFCHR && major == 0 && minor == 0) {
            whiteouts.add(path.toAbsolutePath());
        }
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
        xattrs.put(path.toAbsolutePath() + "\0" + name, value.clone());
    }

    @Override
    public byte[] lgetxattr(Path path, String name) {
        return xattrs.get(path.toAbsolutePath() + "\0" + name);
    }

    @Override
    public boolean isWhiteout(Path path) {
        return whiteouts.contains(path.toAbsolutePath());
    }
}
