package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.sandbox.ContainerImages.ImageInfo;
import dev.berth.sandbox.checkpoint.ArchiveReader;
import dev.berth.sandbox.checkpoint.CheckpointArchiveException;
import dev.berth.sandbox.checkpoint.CheckpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CreateContainer whose image is a checkpoint archive (an absolute path, as CRI-O takes it):
 * the archive is unpacked into the new container's record directory and its image checked
 * against the store. Only two things of the archive are used: the image (which must resolve here
 * to the ID it had, so a moved tag is refused rather than followed) and CRIU's images with the
 * writable layer. Mounts, namespaces, log path, resources and security come from the request.
 */
final class CheckpointRestore {
    private static final String DIR = "restore";

    private CheckpointRestore() {}

    /** Whether the request restores a checkpoint; one with a terminal cannot (Berth checkpoints none). */
    static boolean requested(ContainerConfig config) {
        if (!ArchiveReader.namesArchive(config.getImage().getImage())) {
            return false;
        }
        if (config.getTty()) {
            throw SandboxException.invalid("container " + config.getMetadata().getName() + " restores a checkpoint and asks for a"
                    + " tty; a restored container has the stdio it was checkpointed with: set tty to false");
        }
        return true;
    }

    /** Where the checkpoint of container {@code id} is unpacked until its start. */
    static Path dirOf(SandboxEnv env, String id) {
        return env.containers().dirOf(id).resolve(DIR);
    }

    static ArchiveReader.Extracted unpack(SandboxEnv env, String id, String archive) {
        try {
            Files.createDirectories(env.containers().dirOf(id));
            return ArchiveReader.extract(Path.of(archive), dirOf(env, id), new ArchiveReader.Limits(env.maxCheckpointBytes(), 100_000));
        } catch (CheckpointArchiveException e) {
            FileTrees.deleteTree(env.containers().dirOf(id)); // what a refused archive left is the new container's only
            throw SandboxException.invalid(e.getMessage());
        } catch (IOException e) {
            FileTrees.deleteTree(env.containers().dirOf(id));
            throw new UncheckedIOException("cannot make the record directory of container " + id, e);
        }
    }

    /** The image the checkpointed container ran, as this node's store has it now; it must be the same image. */
    static ImageInfo image(SandboxEnv env, ArchiveReader.Extracted checkpoint, String archive) {
        CheckpointConfig c = checkpoint.config();
        ImageInfo image = env.images().find(c.image()).orElseThrow(() -> new SandboxException(SandboxException.Kind.NOT_FOUND,
                "the checkpoint " + archive + " needs image \"" + c.image() + "\" (" + c.imageId() + "), which is not on this node;"
                        + " pull it first (crictl pull " + c.image() + ")"));
        if (!image.id().equals(c.imageId())) {
            throw SandboxException.invalid("the checkpoint " + archive + " was taken of image \"" + c.image() + "\" as " + c.imageId()
                    + ", but that name is " + image.id() + " on this node; a restore needs the very image (pull it by digest)");
        }
        return image;
    }

    /** After a start (restored or failed), CRIU's images are of no more use. */
    static void forget(SandboxEnv env, String id) {
        FileTrees.deleteTree(dirOf(env, id));
    }
}
