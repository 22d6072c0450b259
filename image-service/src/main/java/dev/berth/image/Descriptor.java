package dev.berth.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** An OCI content descriptor, as found in manifests and indexes. */
record Descriptor(String mediaType, Digest digest, long size, Optional<Platform> platform) {
    static Descriptor from(JsonNode node, String where) {
        if (!node.path("digest").isTextual() || !node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, where + ": descriptor without a valid digest and size");
        }
        Digest digest;
        try {
            digest = Digest.parse(node.get("digest").asText());
        } catch (ImageException e) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, where + ": " + e.getMessage());
        }
        JsonNode p = node.path("platform");
        Optional<Platform> platform = p.isObject()
                ? Optional.of(new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
                        p.path("variant").asText("")))
                : Optional.empty();
        return new Descriptor(node.path("mediaType").asText(""), digest, node.get("size").asLong(), platform);
    }
}
