package dev.berth.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a network configuration list (SPEC §3): ADD in order with prevResult chained, DEL in
 * reverse with the cached ADD result, CHECK in order, STATUS and GC per plugin. Each plugin gets
 * its request configuration derived as the spec says: {@code cniVersion} and {@code name}
 * inserted, {@code capabilities} replaced by the matching {@code runtimeConfig}.
 */
final class NetworkChain {
    private final PluginExec exec;
    private final ObjectMapper json;

    NetworkChain(PluginExec exec, ObjectMapper json) {
        this.exec = exec;
        this.json = json;
    }

    /** Runs ADD through the chain and returns the final result. */
    JsonNode add(ConfList list, Attachment attachment) {
        JsonNode prev = null;
        for (ObjectNode plugin : list.plugins()) {
            byte[] out = exec.run(type(plugin), env("ADD", attachment), bytes(request(list, plugin, attachment, prev)));
            prev = parseResult(type(plugin), out);
        }
        return prev;
    }

    /** Runs DEL through the chain in reverse; {@code addResult} may be null (never added, or lost). */
    void del(ConfList list, Attachment attachment, JsonNode addResult) {
        JsonNode prev = CniVersion.hasCheck(list.cniVersion()) ? addResult : null;
        for (ObjectNode plugin : list.plugins().reversed()) {
            exec.run(type(plugin), env("DEL", attachment), bytes(request(list, plugin, attachment, prev)));
        }
    }

    void check(ConfList list, Attachment attachment, JsonNode addResult) {
        if (list.disableCheck() || !CniVersion.hasCheck(list.cniVersion())) {
            return;
        }
        for (ObjectNode plugin : list.plugins()) {
            exec.run(type(plugin), env("CHECK", attachment), bytes(request(list, plugin, attachment, addResult)));
        }
    }

    /** Runs STATUS on every plugin (1.1.0+); throws for the first that is not ready. */
    void status(ConfList list) {
        if (!CniVersion.hasStatusAndGc(list.cniVersion())) {
            return;
        }
        for (ObjectNode plugin : list.plugins()) {
            exec.run(type(plugin), Map.of("CNI_COMMAND", "STATUS"), bytes(request(list, plugin, null, null)));
        }
    }

    /** Runs GC on every plugin (1.1.0+, unless disabled), continuing past failures, which it returns. */
    List<CniException> gc(ConfList list, List<Attachment> valid) {
        List<CniException> errors = new ArrayList<>();
        if (list.disableGC() || !CniVersion.hasStatusAndGc(list.cniVersion())) {
            return errors;
        }
        for (ObjectNode plugin : list.plugins()) {
            ObjectNode request = request(list, plugin, null, null);
            ArrayNode attachments = request.putArray("cni.dev/valid-attachments");
            valid.forEach(a -> attachments.addObject().put("containerID", a.containerId()).put("ifname", a.ifName()));
            try {
                exec.run(type(plugin), Map.of("CNI_COMMAND", "GC"), bytes(request));
            } catch (CniException e) {
                errors.add(e);
            }
        }
        return errors;
    }

    /** The request configuration for one plugin (SPEC §3 "Deriving request configuration"). */
    ObjectNode request(ConfList list, ObjectNode plugin, Attachment attachment, JsonNode prevResult) {
        ObjectNode request = plugin.deepCopy();
        request.put("cniVersion", list.cniVersion());
        request.put("name", list.name());
        JsonNode capabilities = request.remove("capabilities");
        request.remove("runtimeConfig");
        request.remove("prevResult");
        if (attachment == null) {
            return request;
        }
        ObjectNode runtimeConfig = json.createObjectNode();
        if (capabilities != null && attachment.capabilityArgs() != null) {
            capabilities.properties().forEach(cap -> {
                JsonNode value = attachment.capabilityArgs().get(cap.getKey());
                if (cap.getValue().asBoolean(false) && value != null) {
                    runtimeConfig.set(cap.getKey(), value);
                }
            });
        }
        if (!runtimeConfig.isEmpty()) {
            request.set("runtimeConfig", runtimeConfig);
        }
        if (prevResult != null) {
            request.set("prevResult", prevResult);
        }
        return request;
    }

    private static Map<String, String> env(String command, Attachment attachment) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", attachment.containerId());
        if (attachment.netns() != null && !attachment.netns().isEmpty()) {
            env.put("CNI_NETNS", attachment.netns());
        }
        env.put("CNI_IFNAME", attachment.ifName());
        env.put("CNI_ARGS", attachment.cniArgs());
        return env;
    }

    private JsonNode parseResult(String type, byte[] out) {
        try {
            JsonNode result = json.readTree(out);
            if (result instanceof ObjectNode) {
                return result;
            }
        } catch (IOException e) {
            throw new CniException(type, CniException.RUNTIME_ERROR, "CNI plugin " + type + " ADD printed no valid JSON result: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        throw new CniException(type, CniException.RUNTIME_ERROR, "CNI plugin " + type + " ADD printed no result object");
    }

    private byte[] bytes(ObjectNode request) {
        try {
            return json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    private static String type(ObjectNode plugin) {
        return plugin.path("type").asText();
    }
}
