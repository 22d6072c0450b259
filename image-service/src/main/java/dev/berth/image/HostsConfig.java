package dev.berth.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registry hosts per containerd's {@code hosts.toml} directory layout: for registry {@code R},
 * {@code <dir>/R/hosts.toml}, else {@code <dir>/_default/hosts.toml}, else the default server
 * (HTTPS; {@code registry-1.docker.io} for docker.io; for localhost and 127.0.0.0/8 HTTPS and then plain
 * HTTP, as containerd does). The file's {@code [host."..."]} mirrors come
 * first, in file order, then {@code server}. Plain HTTP only where a URL says {@code http://}.
 * Read at each pull, so edits apply without a restart (as containerd does).
 */
final class HostsConfig {
    private static final TomlMapper TOML = new TomlMapper();
    private final Optional<Path> dir;

    HostsConfig(Optional<Path> dir) {
        this.dir = dir;
    }

    /** The hosts to try for {@code domain}, in order. */
    List<RegistryHost> hostsFor(String domain) {
        Optional<Path> file = dir.flatMap(d -> firstExisting(d.resolve(domain).resolve("hosts.toml"),
                d.resolve("_default").resolve("hosts.toml")));
        if (file.isEmpty()) {
            RegistryHost https = RegistryHost.plain(apiOf(defaultServer(domain), false));
            // containerd's default for a registry on the node itself: HTTPS, then plain HTTP
            return isLocalhost(domain) ? List.of(https, RegistryHost.plain(apiOf(URI.create("http://" + domain), false)))
                    : List.of(https);
        }
        try {
            return parse(domain, file.get(), TOML.readTree(file.get().toFile()));
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT,
                    "cannot read registry config " + file.get() + ": " + e.getMessage(), e);
        }
    }

    static List<RegistryHost> parse(String domain, Path file, JsonNode root) {
        List<RegistryHost> hosts = new ArrayList<>();
        JsonNode table = root.path("host");
        for (var it = table.fields(); it.hasNext(); ) {
            var entry = it.next();
            hosts.add(host(file, entry.getKey(), entry.getValue()));
        }
        String server = root.path("server").asText("");
        URI serverApi = server.isEmpty() ? apiOf(defaultServer(domain), false) : apiOf(url(file, server), false);
        // the server entry may be configured under [host] too (as the harness files do); keep one
        if (hosts.stream().noneMatch(h -> h.api().equals(serverApi))) {
            hosts.add(withFileTls(file, serverApi, root));
        }
        return List.copyOf(hosts);
    }

    private static RegistryHost withFileTls(Path file, URI api, JsonNode root) {
        return new RegistryHost(api, RegistryHost.ALL, root.path("skip_verify").asBoolean(false),
                caFiles(file, root.path("ca")), headers(root.path("header")));
    }

    private static RegistryHost host(Path file, String key, JsonNode node) {
        Set<String> caps = new HashSet<>();
        if (node.has("capabilities")) {
            node.get("capabilities").forEach(c -> caps.add(c.asText()));
        } else {
            caps.addAll(RegistryHost.ALL);
        }
        URI api = apiOf(url(file, key), node.path("override_path").asBoolean(false));
        return new RegistryHost(api, caps, node.path("skip_verify").asBoolean(false),
                caFiles(file, node.path("ca")), headers(node.path("header")));
    }

    private static List<Path> caFiles(Path file, JsonNode ca) {
        List<Path> out = new ArrayList<>();
        if (ca.isTextual()) {
            out.add(file.getParent().resolve(ca.asText()));
        } else if (ca.isArray()) {
            ca.forEach(c -> out.add(file.getParent().resolve(c.asText())));
        }
        return out;
    }

    private static Map<String, List<String>> headers(JsonNode header) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(e.getValue().asText());
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    /** A host key or server: a URL, or a bare host (HTTPS, as containerd assumes). */
    private static URI url(Path file, String s) {
        String withScheme = s.contains("://") ? s : "https://" + s;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, file + ": \"" + s + "\" is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT,
                    file + ": \"" + s + "\" must be an http:// or https:// URL with a host");
        }
        return uri;
    }

    /** containerd appends /v2 to the URL's path unless override_path is set. */
    static URI apiOf(URI base, boolean overridePath) {
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        if (!overridePath && !path.endsWith("/v2")) {
            path = path + "/v2";
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path);
    }

    /** localhost, 127.0.0.0/8 or ::1, with or without a port. */
    static boolean isLocalhost(String domain) {
        String host = domain.startsWith("[") ? domain.substring(1, Math.max(1, domain.indexOf(']')))
                : domain.contains(":") ? domain.substring(0, domain.lastIndexOf(':')) : domain;
        return host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    static URI defaultServer(String domain) {
        return URI.create("https://" + (domain.equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : domain));
    }

    private static Optional<Path> firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
