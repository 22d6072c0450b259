package dev.berth.server.streaming;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ports a port-forward session carries. The token's CRI request names them as a rule (kubelet's CRI
 * streaming server uses only those); when it names none, the URL's {@code port} query values do, parsed as
 * kubelet's NewV4Options parses them.
 */
final class ForwardPorts {

    /** Channel numbers are one byte: two channels per port. */
    static final int MAX_PORTS = 128;

    private ForwardPorts() {}

    /** @throws IllegalArgumentException with the message for the client when there are no usable ports */
    static List<Integer> resolve(String uri, List<Integer> granted) {
        List<Integer> ports = granted.isEmpty() ? fromQuery(uri) : granted;
        if (ports.size() > MAX_PORTS) {
            throw new IllegalArgumentException("at most " + MAX_PORTS + " ports can be forwarded over one WebSocket, not " + ports.size());
        }
        return ports;
    }

    private static List<Integer> fromQuery(String uri) {
        List<String> values = new QueryStringDecoder(uri).parameters().getOrDefault("port", List.of());
        if (values.isEmpty()) {
            throw new IllegalArgumentException("query parameter \"port\" is required");
        }
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("query parameter \"port\" cannot be empty");
            }
            for (String p : value.split(",", -1)) {
                int port = parse(value, p);
                if (port < 1) {
                    throw new IllegalArgumentException("port \"" + value + "\" must be > 0");
                }
                ports.add(port);
            }
        }
        return ports;
    }

    /** strconv.ParseUint(p, 10, 16), with its error text. */
    private static int parse(String value, String p) {
        if (p.isEmpty() || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("unable to parse \"" + value + "\" as a port: strconv.ParseUint: parsing \"" + p + "\": invalid syntax");
        }
        if (new BigInteger(p).compareTo(BigInteger.valueOf(0xffff)) > 0) {
            throw new IllegalArgumentException("unable to parse \"" + value + "\" as a port: strconv.ParseUint: parsing \"" + p + "\": value out of range");
        }
        return Integer.parseInt(p);
    }
}
