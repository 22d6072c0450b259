package dev.berth.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Berth remembers about a container, persisted as {@code <root>/containers/<id>/record.json}.
 * Immutable: a change is a new record written over the old one. The runtime owns the live state
 * (created, running, exited and the exit status); the record adds what CRI reports and the
 * runtime does not know, and keeps the exit once it was seen, so status survives the runtime
 * forgetting the container (see {@link ContainerStates}).
 *
 * @param version the record format, {@link #FORMAT}; a reader refuses newer formats
 * @param reservedName {@code <name>_<pod name>_<pod namespace>_<pod uid>_<attempt>}, as containerd builds it
 * @param image the image as the request named it; {@code imageId} the config digest it resolved to
 * @param imageRef the repo digest (or the id when the image has none), CRI's {@code image_ref}
 * @param createdAtNanos, startedAtNanos, finishedAtNanos nanoseconds since the epoch; 0 = not yet
 * @param exitCode, reason, message the exit as seen (reason Completed, Error or OOMKilled)
 * @param logPath the CRI log file (absolute), or "" when kubelet asked for none
 * @param stopSignal the signal StopContainer sends first (request, else image STOPSIGNAL, else SIGTERM)
 * @param writableLayer the directory holding the container's writes to its rootfs (its size is in stats), or ""
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
        int version,
        String id,
        String sandboxId,
        String name,
        int attempt,
        String reservedName,
        String image,
        String imageId,
        String imageRef,
        long createdAtNanos,
        long startedAtNanos,
        long finishedAtNanos,
        int exitCode,
        String reason,
        String message,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<MountRecord> mounts,
        String logPath,
        boolean tty,
        boolean stdin,
        boolean stdinOnce,
        int stopSignal,
        String writableLayer) implements StoredRecord {

    public static final int FORMAT = 1;

    /** A volume as kubelet asked for it, reported back in status. */
    public record MountRecord(String containerPath, String hostPath, boolean readonly, boolean selinuxRelabel, String propagation) {}

    public ContainerRecord {
        Objects.requireNonNull(id, "id");
        sandboxId = Objects.requireNonNullElse(sandboxId, "");
        name = Objects.requireNonNullElse(name, "");
        reservedName = Objects.requireNonNullElse(reservedName, "");
        image = Objects.requireNonNullElse(image, "");
        imageId = Objects.requireNonNullElse(imageId, "");
        imageRef = Objects.requireNonNullElse(imageRef, "");
        reason = Objects.requireNonNullElse(reason, "");
        message = Objects.requireNonNullElse(message, "");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        logPath = Objects.requireNonNullElse(logPath, "");
        writableLayer = Objects.requireNonNullElse(writableLayer, "");
    }

    boolean started() {
        return startedAtNanos != 0;
    }

    boolean finished() {
        return finishedAtNanos != 0;
    }

    ContainerRecord withStartedAt(long nanos) {
        return new ContainerRecord(version, id, sandboxId, name, attempt, reservedName, image, imageId, imageRef, createdAtNanos,
                nanos, finishedAtNanos, exitCode, reason, message, labels, annotations, mounts, logPath, tty, stdin, stdinOnce,
                stopSignal, writableLayer);
    }

    ContainerRecord withExit(long finishedAt, int code, String exitReason, String exitMessage) {
        return new ContainerRecord(version, id, sandboxId, name, attempt, reservedName, image, imageId, imageRef, createdAtNanos,
                startedAtNanos, finishedAt, code, exitReason, exitMessage, labels, annotations, mounts, logPath, tty, stdin,
                stdinOnce, stopSignal, writableLayer);
    }
}
