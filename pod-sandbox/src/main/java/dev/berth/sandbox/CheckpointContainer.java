package dev.berth.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.api.v1.ContainerState;
import dev.berth.runtime.CheckpointException;
import dev.berth.runtime.CheckpointRequest;
import dev.berth.runtime.CheckpointSupport;
import dev.berth.sandbox.checkpoint.ArchiveLayout;
import dev.berth.sandbox.checkpoint.ArchiveWriter;
import dev.berth.sandbox.checkpoint.CheckpointConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * CheckpointContainer: the running container's processes dumped by CRIU (through the runtime),
 * its writable layer exported while it is still frozen, its config, spec, status and log beside
 * them, all packed into the archive at the requested location. The container keeps running.
 * Staged under the container's record directory and removed after, whatever happens.
 */
final class CheckpointContainer {
    /** CRI: a zero timeout means the runtime's default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGING = "checkpoint-";

    private final SandboxEnv env;

    CheckpointContainer(SandboxEnv env) {
        this.env = env;
    }

    void checkpoint(ContainerRecord record, String location, Duration timeout) {
        Path archive = location(location);
        ContainerStates.View view = ContainerStates.of(env, record);
        if (view.state() != ContainerState.CONTAINER_RUNNING) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + record.id() + " is "
                    + StateNames.of(view.state()) + "; only a running container can be checkpointed");
        }
        if (record.tty()) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + record.id()
                    + " has a terminal (tty); Berth checkpoints only containers without one");
        }
        CheckpointSupport support = env.runtime().checkpointSupport();
        if (!support.available()) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "cannot checkpoint container " + record.id()
                    + ": " + support.reason());
        }
        Path work = env.containers().dirOf(record.id()).resolve(STAGING + UUID.randomUUID());
        try {
            Path images = Files.createDirectories(work.resolve(ArchiveLayout.IMAGES));
            Duration limit = timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
            env.runtime().checkpoint(record.id(), new CheckpointRequest(images, work, limit,
                    () -> exportDiff(record.id(), work.resolve(ArchiveLayout.ROOTFS_DIFF))));
            Files.write(work.resolve(ArchiveLayout.CONFIG), config(record).toJson());
            Files.copy(env.containerBundleOf(record.id()).resolve("config.json"), work.resolve(ArchiveLayout.SPEC));
            Files.write(work.resolve(ArchiveLayout.STATUS), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(status(view, support)));
            copyLog(record, work.resolve(ArchiveLayout.LOG));
            ArchiveWriter.write(work, archive);
        } catch (CheckpointException e) {
            throw new SandboxException(kindOf(e), "cannot checkpoint container " + record.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot write the checkpoint of container " + record.id()
                    + " to " + archive + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteTree(work);
        }
    }

    /** Removes what checkpoints the daemon did not finish (it died meanwhile) staged for the container. */
    static void dropStaging(SandboxEnv env, String id) {
        try (java.util.stream.Stream<Path> dirs = Files.list(env.containers().dirOf(id))) {
            dirs.filter(d -> d.getFileName().toString().startsWith(STAGING)).forEach(FileTrees::deleteTree);
        } catch (IOException e) {
            // no record directory: nothing was staged
        }
    }

    /** The archive's path: absolute, in an existing directory, not a directory itself (kubelet's --export file). */
    private static Path location(String location) {
        if (location.isEmpty() || !location.startsWith("/")) {
            throw SandboxException.invalid("checkpoint location \"" + location + "\" must be an absolute path to the archive"
                    + " file to write (e.g. /var/lib/kubelet/checkpoints/ctr.tar)");
        }
        Path path = Path.of(location).normalize();
        if (path.getParent() == null || !Files.isDirectory(path.getParent())) {
            throw SandboxException.invalid("checkpoint location " + location + ": directory " + path.getParent() + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw SandboxException.invalid("checkpoint location " + location + " is a directory; name the archive file to write");
        }
        return path;
    }

    private void exportDiff(String id, Path file) {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 1 << 16)) {
            env.images().exportRootfsDiff(id, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private CheckpointConfig config(ContainerRecord r) {
        SandboxRecord pod = env.store().get(r.sandboxId()).orElse(null);
        return new CheckpointConfig(CheckpointConfig.FORMAT, r.id(), r.name(), r.attempt(), r.image(), r.imageId(), r.imageRef(),
                r.sandboxId(), pod == null ? "" : pod.name(), pod == null ? "" : pod.namespace(), pod == null ? "" : pod.uid(),
                r.labels(), r.annotations(), r.stdin(), r.stdinOnce(), r.createdAtNanos(), env.nowNanos(), "berth");
    }

    private Map<String, Object> status(ContainerStates.View view, CheckpointSupport support) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", StateNames.of(view.state()));
        status.put("createdAtNanos", view.record().createdAtNanos());
        status.put("startedAtNanos", view.startedAt());
        status.put("checkpointedAtNanos", env.nowNanos());
        status.put("criu", support.criu());
        status.put("criuVersion", support.criuVersion());
        return status;
    }

    /** The container's log up to now (its last {@link ArchiveLayout#LOG_LIMIT} bytes), when it has one that is a plain file. */
    private static void copyLog(ContainerRecord record, Path to) throws IOException {
        if (record.logPath().isEmpty() || !Files.isRegularFile(Path.of(record.logPath()), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel in = FileChannel.open(Path.of(record.logPath()), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long from = Math.max(0, size - ArchiveLayout.LOG_LIMIT);
            for (long pos = from; pos < size; ) {
                pos += in.transferTo(pos, size - pos, out);
            }
        }
    }

    private static SandboxException.Kind kindOf(CheckpointException e) {
        return switch (e.kind()) {
            case UNAVAILABLE, NOT_CHECKPOINTABLE -> SandboxException.Kind.FAILED_PRECONDITION;
            case TIMEOUT -> SandboxException.Kind.DEADLINE_EXCEEDED;
            case FAILED -> SandboxException.Kind.INTERNAL;
        };
    }
}
