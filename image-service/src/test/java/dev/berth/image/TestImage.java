package dev.berth.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds an image (layers, config, manifest) in memory and pushes it to a {@link TestRegistry}. */
final class TestImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A layer as pushed: its tar (for the diffID), the blob bytes and the media type. */
    record Layer(byte[] tar, byte[] blob, String mediaType) {
        static Layer gzip(byte[] tar) {
            return new Layer(tar, TarBuilder.gzip(tar), "application/vnd.oci.image.layer.v1.tar+gzip");
        }

        static Layer zstd(byte[] tar) {
            return new Layer(tar, TarBuilder.zstd(tar), "application/vnd.oci.image.layer.v1.tar+zstd");
        }

        static Layer plain(byte[] tar) {
            return new Layer(tar, tar, "application/vnd.oci.image.layer.v1.tar");
        }

        static Layer dockerGzip(byte[] tar) {
            return new Layer(tar, TarBuilder.gzip(tar), "application/vnd.docker.image.rootfs.diff.tar.gzip");
        }
    }

    private final List<Layer> layers = new ArrayList<>();
    private String user = "";
    private boolean docker;
    private String architecture = "amd64";
    private List<String> diffIdOverride;
    private Long layerSizeOverride;

    TestImage layer(Layer l) {
        layers.add(l);
        return this;
    }

    TestImage user(String u) {
        user = u;
        return this;
    }

    TestImage dockerMediaTypes() {
        docker = true;
        return this;
    }

    TestImage architecture(String arch) {
        architecture = arch;
        return this;
    }

    /** A config whose diff_ids lie about the layers. */
    TestImage lyingDiffIds(List<String> ids) {
        diffIdOverride = ids;
        return this;
    }

    /** Manifest layer descriptors with a wrong size. */
    TestImage lyingLayerSize(long size) {
        layerSizeOverride = size;
        return this;
    }

    byte[] config() {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", architecture).put("os", "linux");
        c.putObject("config").put("User", user).putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = c.putObject("rootfs").put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        if (diffIdOverride != null) {
            diffIdOverride.forEach(ids::add);
        } else {
            layers.forEach(l -> ids.add(Digest.sha256(l.tar()).toString()));
        }
        return c.toString().getBytes(StandardCharsets.UTF_8);
    }

    String manifestMediaType() {
        return docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    }

    /** Pushes blobs and the manifest under {@code tag}; returns the manifest digest and its size. */
    Pushed push(TestRegistry registry, String repo, String tag) throws Exception {
        byte[] config = config();
        Digest configDigest = registry.pushBlob(repo, config);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2).put("mediaType", manifestMediaType());
        m.putObject("config").put("mediaType", docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG)
                .put("digest", configDigest.toString()).put("size", config.length);
        ArrayNode ls = m.putArray("layers");
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Digest d = i % 2 == 0 ? registry.pushBlob(repo, l.blob()) : registry.pushBlobChunked(repo, l.blob(), 4096);
            ls.addObject().put("mediaType", l.mediaType()).put("digest", d.toString())
                    .put("size", layerSizeOverride != null ? layerSizeOverride : l.blob().length);
        }
        byte[] manifest = m.toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = registry.pushManifest(repo, tag, manifest, manifestMediaType());
        return new Pushed(digest, manifest.length, configDigest, manifestMediaType());
    }

    record Pushed(Digest digest, long size, Digest configDigest, String mediaType) {}

    /** Pushes an index (OCI or Docker list) over already pushed manifests. */
    static Digest pushIndex(TestRegistry registry, String repo, String tag, boolean docker, List<Pushed> entries,
            List<String[]> platforms) throws Exception {
        ObjectNode idx = JSON.createObjectNode();
        String type = docker ? MediaTypes.DOCKER_LIST : MediaTypes.OCI_INDEX;
        idx.put("schemaVersion", 2).put("mediaType", type);
        ArrayNode ms = idx.putArray("manifests");
        for (int i = 0; i < entries.size(); i++) {
            Pushed p = entries.get(i);
            ObjectNode e = ms.addObject().put("mediaType", p.mediaType()).put("digest", p.digest().toString()).put("size", p.size());
            String[] pl = platforms.get(i);
            ObjectNode platform = e.putObject("platform").put("os", pl[0]).put("architecture", pl[1]);
            if (pl.length > 2) {
                platform.put("variant", pl[2]);
            }
        }
        return registry.pushManifest(repo, tag, idx.toString().getBytes(StandardCharsets.UTF_8), type);
    }
}
