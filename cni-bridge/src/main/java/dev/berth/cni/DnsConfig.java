package dev.berth.cni;

import java.util.List;

/** DNS settings for plugins with the {@code dns} capability (runtimeConfig {@code servers}, {@code searches}, {@code options}). */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
    public DnsConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
        searches = searches == null ? List.of() : List.copyOf(searches);
        options = options == null ? List.of() : List.copyOf(options);
    }
}
