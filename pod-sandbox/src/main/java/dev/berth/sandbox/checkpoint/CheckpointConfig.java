package dev.berth.sandbox.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code config.dump}: the checkpointed container as CRI knew it. A restore uses two fields, the
 * image (by the name the container was created with) and the image ID it resolved to; it pulls
 * nothing and names no host path from here. Everything else is for people and tools.
 *
 * @param version {@link #FORMAT}; a reader refuses others
 * @param image the image reference the container was created with ({@code busybox:1.36})
 * @param imageId the config digest that reference resolved to then; a restore needs the node's store
 *     to resolve {@code image} to the same ID (a tag moved meanwhile is refused, not followed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointConfig(int version, String id, String name, int attempt, String image, String imageId, String imageRef,
        String sandboxId, String podName, String podNamespace, String podUid, Map<String, String> labels,
        Map<String, String> annotations, boolean stdin, boolean stdinOnce, long createdAtNanos, long checkpointedAtNanos,
        String runtime) {

    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int MAX_IMAGE_NAME = 4096;

    public CheckpointConfig {
        id = Objects.requireNonNullElse(id, "");
        name = Objects.requireNonNullElse(name, "");
        image = Objects.requireNonNullElse(image, "");
        imageId = Objects.requireNonNullElse(imageId, "");
        imageRef = Objects.requireNonNullElse(imageRef, "");
        sandboxId = Objects.requireNonNullElse(sandboxId, "");
        podName = Objects.requireNonNullElse(podName, "");
        podNamespace = Objects.requireNonNullElse(podNamespace, "");
        podUid = Objects.requireNonNullElse(podUid, "");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        runtime = Objects.requireNonNullElse(runtime, "");
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config.dump", e);
        }
    }

    /** Parses and checks a config.dump from an archive; the message says which field is wrong. */
    static CheckpointConfig parse(byte[] json) {
        CheckpointConfig c;
        try {
            c = JSON.readValue(json, CheckpointConfig.class);
        } catch (java.io.IOException e) {
            throw new CheckpointArchiveException(ArchiveLayout.CONFIG + " is not the JSON Berth writes: " + e.getMessage().lines()
                    .findFirst().orElse(""));
        }
        if (c == null || c.version() != FORMAT) {
            throw new CheckpointArchiveException(ArchiveLayout.CONFIG + " has format version " + (c == null ? "none" : c.version())
                    + "; this Berth reads version " + FORMAT);
        }
        if (c.image().isEmpty() || c.image().length() > MAX_IMAGE_NAME || c.image().startsWith("/")
                || c.image().chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
            throw new CheckpointArchiveException(ArchiveLayout.CONFIG + " names no valid image (\"" + printable(c.image()) + "\")");
        }
        if (!IMAGE_ID.matcher(c.imageId()).matches()) {
            throw new CheckpointArchiveException(ArchiveLayout.CONFIG + " has image ID \"" + printable(c.imageId())
                    + "\", not sha256:<64 hex digits>");
        }
        return c;
    }

    static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
