package dev.berth.sandbox.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Image config defaults a container inherits (the OCI image config's {@code config} object).
 * Absent fields are empty lists or "".
 */
public record ImageDefaults(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
        String stopSignal) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final ImageDefaults NONE = new ImageDefaults(List.of(), List.of(), List.of(), "", "", "");

    public ImageDefaults {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = Objects.requireNonNullElse(workingDir, "");
        user = Objects.requireNonNullElse(user, "");
        stopSignal = Objects.requireNonNullElse(stopSignal, "");
    }

    /**
     * Parses a whole image config blob; its {@code config} object holds Entrypoint, Cmd, Env,
     * WorkingDir, User and StopSignal (image-spec config.md). JSON null counts as absent.
     */
    public static ImageDefaults parse(String imageConfigJson) throws SpecException {
        JsonNode root;
        try {
            root = JSON.readTree(imageConfigJson == null ? "" : imageConfigJson);
        } catch (JsonProcessingException e) {
            throw new SpecException("the image config is not valid JSON (" + e.getOriginalMessage()
                    + "); remove the image and pull it again", e);
        }
        if (root == null || !root.isObject()) {
            throw new SpecException("the image config is not a JSON object; remove the image and pull it again");
        }
        JsonNode config = root.get("config");
        if (config == null || config.isNull()) {
            return NONE;
        }
        if (!config.isObject()) {
            throw new SpecException("the image config's \"config\" is a " + config.getNodeType() + ", not an object");
        }
        return new ImageDefaults(strings(config, "Entrypoint"), strings(config, "Cmd"), strings(config, "Env"),
                string(config, "WorkingDir"), string(config, "User"), string(config, "StopSignal"));
    }

    private static List<String> strings(JsonNode config, String field) {
        JsonNode node = config.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new SpecException("the image config's config." + field + " is " + node + ", not a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new SpecException("the image config's config." + field + " holds " + item + ", not a string");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static String string(JsonNode config, String field) {
        JsonNode node = config.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new SpecException("the image config's config." + field + " is " + node + ", not a string");
        }
        return node.textValue();
    }
}
