package dev.berth.server.streaming;

import java.util.Optional;

/** The three streaming routes, named as their URL paths: {@code /exec/{token}}, {@code /attach/{token}}, {@code /portforward/{token}}. */
public enum StreamKind {
    EXEC("exec"),
    ATTACH("attach"),
    PORT_FORWARD("portforward");

    private final String path;

    StreamKind(String path) {
        this.path = path;
    }

    /** The first path segment of this kind's URLs. */
    public String path() {
        return path;
    }

    public static StreamKind of(StreamRequest request) {
        return switch (request) {
            case StreamRequest.Exec exec -> EXEC;
            case StreamRequest.Attach attach -> ATTACH;
            case StreamRequest.PortForward portForward -> PORT_FORWARD;
        };
    }

    static Optional<StreamKind> ofPath(String segment) {
        for (StreamKind kind : values()) {
            if (kind.path.equals(segment)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
