package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file operations the cgroup managers make. {@link HostCgroupFs} is the real one; unit tests
 * put a fake kernel behind this seam (directories that fill with control files on mkdir, rmdir
 * that is busy while tasks remain), since plain files in a temporary directory do neither.
 */
interface CgroupFs {

    boolean exists(Path path);

    /** Makes one directory; one that exists already is fine. */
    void mkdir(Path dir) throws IOException;

    /** Removes one cgroup directory; {@link java.nio.file.NoSuchFileException} when it is gone. */
    void rmdir(Path dir) throws IOException;

    /** The directories (child cgroups) directly inside {@code dir}. */
    List<Path> childDirs(Path dir) throws IOException;

    String read(Path file) throws IOException;

    /** Writes {@code value} in one write(2) to an existing file (never creates one). */
    void write(Path file, String value) throws IOException;
}
