package dev.berth.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The distribution API as Berth pulls it: resolve a reference to a platform manifest (through an
 * index if needed), fetch small blobs into memory with a size limit, open layer blobs as streams.
 * Tries the configured hosts in order; a host without the needed capability is skipped.
 */
final class RegistryClient {
    /**
     * What a reference resolved to.
     *
     * @param host the host that answered, used for the blobs too
     * @param topDigest the digest the reference points at (index or manifest): the repo digest
     */
    record Resolved(RegistryHost host, Digest topDigest, Digest manifestDigest, Manifest manifest) {}

    private final RegistryTransport transport;
    private final HostsConfig hosts;
    private final ImageConfig config;
    private final int hostLevel;

    RegistryClient(RegistryTransport transport, HostsConfig hosts, ImageConfig config, int hostLevel) {
        this.transport = transport;
        this.hosts = hosts;
        this.config = config;
        this.hostLevel = hostLevel;
    }

    Resolved resolve(ImageRef ref, Optional<RegistryAuth> auth) throws InterruptedException {
        String capability = ref.digest().isPresent() ? "pull" : "resolve";
        ImageException last = null;
        for (RegistryHost host : hosts.hostsFor(ref.domain())) {
            if (!host.can(capability)) {
                continue;
            }
            try {
                return resolveOn(host, ref, auth);
            } catch (ImageException e) {
                // a mirror without the image (or down) falls through to the next host, as in containerd
                if (e.kind() != ImageException.Kind.NOT_FOUND && e.kind() != ImageException.Kind.UNAVAILABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last != null ? last : new ImageException(ImageException.Kind.NOT_FOUND,
                "no registry host for " + ref.domain() + " may " + capability + " (see its hosts.toml)");
    }

    private Resolved resolveOn(RegistryHost host, ImageRef ref, Optional<RegistryAuth> auth) throws InterruptedException {
        Fetched top = fetchManifest(host, ref, ref.manifestReference(), ref.digest(), auth);
        Digest topDigest = top.digest;
        Fetched chosen = top;
        if (MediaTypes.isIndex(top.mediaType)) {
            List<Descriptor> entries = Manifest.indexEntries(top.json, "index " + ref);
            Descriptor entry = Platform.chooseAmd64(entries, hostLevel).orElseThrow(() -> new ImageException(
                    ImageException.Kind.NOT_FOUND, "image " + ref + " has no linux/amd64 manifest (it offers "
                            + entries.stream().map(d -> d.platform().map(Platform::toString).orElse("?")).toList() + ")"));
            chosen = fetchManifest(host, ref, entry.digest().toString(), Optional.of(entry.digest()), auth);
            if (MediaTypes.isIndex(chosen.mediaType)) {
                throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + ref + ": nested indexes are not supported");
            }
        }
        if (!MediaTypes.isManifest(chosen.mediaType)) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT,
                    "image " + ref + ": unsupported manifest media type \"" + chosen.mediaType + "\"");
        }
        return new Resolved(host, topDigest, chosen.digest, Manifest.parse(chosen.json, "manifest of " + ref));
    }

    private record Fetched(Digest digest, String mediaType, JsonNode json, byte[] bytes) {}

    private Fetched fetchManifest(RegistryHost host, ImageRef ref, String reference, Optional<Digest> expected,
            Optional<RegistryAuth> auth) throws InterruptedException {
        URI uri = URI.create(host.api() + "/" + ref.path() + "/manifests/" + reference);
        HttpResponse<byte[]> resp = transport.get(call(host, uri, ref, auth, Map.of("Accept",
                String.join(", ", MediaTypes.MANIFEST_ACCEPT))), BoundedBody.of(config.maxManifestBytes(), "manifest of " + ref));
        checkFound(resp.statusCode(), "manifest " + reference + " of " + ref, host);
        byte[] bytes = resp.body();
        Digest actual = expected.isPresent() ? Digest.of(expected.get().algorithm(),
                expected.get().newHasher().digest(bytes)) : Digest.sha256(bytes);
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + ref + ": manifest digest mismatch: asked for "
                    + expected.get() + ", got " + actual);
        }
        JsonNode json = Manifest.readJson(bytes, "manifest of " + ref);
        String mediaType = json.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            mediaType = resp.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        }
        if (mediaType.isEmpty() || mediaType.equals("application/json")) {
            mediaType = json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        return new Fetched(actual, mediaType, json, bytes);
    }

    /** A small blob (the config), verified by digest and size, read within the manifest size limit. */
    byte[] fetchSmallBlob(Resolved r, ImageRef ref, Descriptor d, Optional<RegistryAuth> auth) throws InterruptedException {
        if (d.size() > config.maxManifestBytes()) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + ref + ": config " + d.digest() + " is "
                    + d.size() + " bytes, above the limit of " + config.maxManifestBytes());
        }
        URI uri = blobUri(r.host(), ref, d.digest());
        HttpResponse<byte[]> resp = transport.get(call(r.host(), uri, ref, auth, Map.of()),
                BoundedBody.of(d.size(), "blob " + d.digest() + " of " + ref));
        checkFound(resp.statusCode(), "blob " + d.digest() + " of " + ref, r.host());
        byte[] bytes = resp.body();
        Digest actual = Digest.of(d.digest().algorithm(), d.digest().newHasher().digest(bytes));
        if (bytes.length != d.size() || !actual.equals(d.digest())) {
            throw new ImageException(ImageException.Kind.BAD_CONTENT, "image " + ref + ": blob " + d.digest()
                    + " does not match its descriptor (got " + bytes.length + " bytes, digest " + actual + ")");
        }
        return bytes;
    }

    /** Opens a blob from {@code offset} (a Range request when > 0); the stream must be closed. */
    InputStream openBlob(RegistryHost host, ImageRef ref, Digest digest, long offset, Optional<RegistryAuth> auth)
            throws InterruptedException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> resp = transport.get(call(host, blobUri(host, ref, digest), ref, auth, headers),
                HttpResponse.BodyHandlers.ofInputStream());
        checkFound(resp.statusCode(), "blob " + digest + " of " + ref, host);
        InputStream body = resp.body();
        if (offset > 0 && resp.statusCode() == 200) {
            // the server ignored the Range header: skip what we already have
            try {
                body.skipNBytes(offset);
            } catch (java.io.IOException e) {
                throw new ImageException(ImageException.Kind.UNAVAILABLE, "blob " + digest + " of " + ref + " cut short", e);
            }
        }
        return body;
    }

    private static URI blobUri(RegistryHost host, ImageRef ref, Digest digest) {
        return URI.create(host.api() + "/" + ref.path() + "/blobs/" + digest);
    }

    private static RegistryTransport.Call call(RegistryHost host, URI uri, ImageRef ref, Optional<RegistryAuth> auth,
            Map<String, String> headers) {
        return new RegistryTransport.Call(host, uri, headers, "repository:" + ref.path() + ":pull", auth);
    }

    private static void checkFound(int code, String what, RegistryHost host) {
        if (code == 404) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, what + " not found on " + host.authority());
        }
        if (code / 100 != 2) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, host.authority() + " answered HTTP " + code + " for " + what);
        }
    }
}
