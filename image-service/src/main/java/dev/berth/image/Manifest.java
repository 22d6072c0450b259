package dev.berth.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An image manifest (OCI or Docker schema 2): the config and the layers, bottom first. */
record Manifest(Descriptor config, List<Descriptor> layers) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LAYERS = 1000;

    Manifest {
        layers = List.copyOf(layers);
    }

    static JsonNode readJson(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static Manifest parse(JsonNode node, String what) {
        if (node.path("schemaVersion").asInt() != 2) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, what + ": only schemaVersion 2 manifests are supported");
        }
        Descriptor config = Descriptor.from(node.path("config"), what + " config");
        JsonNode layerNodes = node.path("layers");
        if (!layerNodes.isArray() || layerNodes.size() > MAX_LAYERS) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT,
                    what + ": layers must be an array of at most " + MAX_LAYERS + " entries");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layerNodes.size(); i++) {
            Descriptor d = Descriptor.from(layerNodes.get(i), what + " layer " + i);
            MediaTypes.layerCompression(d.mediaType());
            layers.add(d);
        }
        return new Manifest(config, layers);
    }

    static List<Descriptor> indexEntries(JsonNode node, String what) {
        JsonNode manifests = node.path("manifests");
        if (!manifests.isArray() || manifests.size() > MAX_LAYERS) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, what + ": manifests must be an array");
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            out.add(Descriptor.from(manifests.get(i), what + " entry " + i));
        }
        return out;
    }
}
