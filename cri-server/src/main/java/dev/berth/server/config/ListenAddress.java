package dev.berth.server.config;

/** A TCP listen address written as {@code host:port} or {@code [ipv6]:port}. */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) throws ConfigException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException("\"" + text + "\" is not host:port (for example 127.0.0.1:9097)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("\"" + text + "\" has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("port " + port + " in \"" + text + "\" is outside 0-65535");
        }
        return new ListenAddress(host, port);
    }

    public boolean disabled() {
        return port == 0;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
