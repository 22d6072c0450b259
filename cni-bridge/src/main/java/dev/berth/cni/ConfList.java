package dev.berth.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed network configuration list (SPEC §1). A single-plugin {@code .conf} is wrapped into
 * a list of one, as libcni does. {@code cniVersion} is the highest version named by the
 * config's {@code cniVersion} and {@code cniVersions} that Berth supports.
 *
 * @param source the file it came from (for messages)
 * @param raw the list as written (kept in the result cache so DEL uses what ADD used)
 */
record ConfList(Path source, String name, String cniVersion, boolean disableCheck, boolean disableGC,
        List<ObjectNode> plugins, ObjectNode raw) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

    /** A config that cannot be used; the message names the file and the problem. */
    static final class InvalidConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidConfigException(String message) {
            super(message);
        }
    }

    static ConfList parse(Path source, byte[] bytes, ObjectMapper json) throws InvalidConfigException {
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidConfigException(source + " is not valid JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (!(root instanceof ObjectNode object)) {
            throw new InvalidConfigException(source + " must hold a JSON object");
        }
        return fromObject(source, object);
    }

    static ConfList fromObject(Path source, ObjectNode object) throws InvalidConfigException {
        String name = object.path("name").asText("");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConfigException(source + ": \"name\" is missing or not a valid network name: \"" + name + "\"");
        }
        String version = selectVersion(source, object);
        List<ObjectNode> plugins = new ArrayList<>();
        JsonNode list = object.get("plugins");
        if (list == null) {
            if (!object.has("type")) {
                throw new InvalidConfigException(source + ": neither a \"plugins\" list nor a single plugin \"type\"");
            }
            plugins.add(object.deepCopy()); // a .conf: the whole object is the one plugin
        } else {
            if (!list.isArray() || list.isEmpty()) {
                throw new InvalidConfigException(source + ": \"plugins\" must be a non-empty list");
            }
            for (JsonNode plugin : list) {
                if (!(plugin instanceof ObjectNode p)) {
                    throw new InvalidConfigException(source + ": every entry of \"plugins\" must be an object");
                }
                plugins.add(p);
            }
        }
        for (ObjectNode plugin : plugins) {
            String type = plugin.path("type").asText("");
            if (type.isEmpty() || type.contains("/") || type.startsWith(".")) {
                throw new InvalidConfigException(source + ": plugin \"type\" is missing or not a file name: \"" + type + "\"");
            }
        }
        return new ConfList(source, name, version, object.path("disableCheck").asBoolean(false),
                object.path("disableGC").asBoolean(false), List.copyOf(plugins), object);
    }

    private static String selectVersion(Path source, ObjectNode object) throws InvalidConfigException {
        List<String> offered = new ArrayList<>();
        offered.add(object.path("cniVersion").asText(""));
        object.path("cniVersions").forEach(v -> offered.add(v.asText("")));
        String best = null;
        for (String v : offered) {
            if (CniVersion.isSupported(v) && (best == null || CniVersion.compare(v, best) > 0)) {
                best = v;
            }
        }
        if (best == null) {
            throw new InvalidConfigException(source + ": no supported cniVersion in " + offered.stream().filter(v -> !v.isEmpty()).toList()
                    + " (Berth supports " + CniVersion.SUPPORTED + ")");
        }
        return best;
    }

    List<String> pluginTypes() {
        return plugins.stream().map(p -> p.path("type").asText()).toList();
    }
}
