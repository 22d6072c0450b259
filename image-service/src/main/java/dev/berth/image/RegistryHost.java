package dev.berth.image;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One endpoint to try for a registry, as a {@code hosts.toml} entry or the default server.
 *
 * @param api the API root, ending in {@code /v2} (unless override_path)
 * @param capabilities {@code pull}, {@code resolve}, {@code push}
 * @param caFiles extra CA certificates (PEM) trusted for this host
 * @param headers sent with every request to this host
 */
record RegistryHost(URI api, Set<String> capabilities, boolean skipVerify, List<Path> caFiles,
        Map<String, List<String>> headers) {
    static final Set<String> ALL = Set.of("pull", "resolve", "push");

    RegistryHost {
        capabilities = Set.copyOf(capabilities);
        caFiles = List.copyOf(caFiles);
        headers = Map.copyOf(headers);
    }

    static RegistryHost plain(URI api) {
        return new RegistryHost(api, ALL, false, List.of(), Map.of());
    }

    boolean can(String capability) {
        return capabilities.contains(capability);
    }

    /** {@code host:port} for messages and token caches. */
    String authority() {
        return api.getAuthority();
    }
}
