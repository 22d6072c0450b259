package dev.berth.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalized image reference, per Docker's reference grammar
 * ({@code github.com/distribution/reference}): {@code busybox} is
 * {@code docker.io/library/busybox:latest}; {@code repo@sha256:...} keeps no tag;
 * {@code repo:tag@sha256:...} keeps both (the digest decides what is pulled).
 *
 * @param domain registry host, with port if any ({@code docker.io}, {@code 127.0.0.1:5000})
 * @param path repository path within the registry ({@code library/busybox})
 */
public record ImageRef(String domain, String path, Optional<String> tag, Optional<Digest> digest) {
    static final String DOCKER_HUB = "docker.io";
    private static final int NAME_MAX = 255;
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    /** Parses and normalizes; throws {@link ImageException} (INVALID_ARGUMENT) saying what is wrong. */
    public static ImageRef parse(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw invalid(reference, "it is empty");
        }
        if (HEX64.matcher(reference).matches()) {
            throw invalid(reference, "a 64-character hex string is an image ID, not a repository name");
        }
        String rest = reference;
        Optional<Digest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Optional.of(Digest.parse(rest.substring(at + 1)));
            } catch (ImageException e) {
                throw invalid(reference, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw invalid(reference, "tag \"" + t + "\" is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        return fromName(reference, rest, tag, digest);
    }

    private static ImageRef fromName(String reference, String name, Optional<String> tag, Optional<Digest> digest) {
        if (name.isEmpty()) {
            throw invalid(reference, "the repository name is empty");
        }
        if (name.length() > NAME_MAX) {
            throw invalid(reference, "the repository name is longer than " + NAME_MAX + " characters");
        }
        String domain = DOCKER_HUB;
        String path = name;
        int slash = name.indexOf('/');
        if (slash >= 0 && isDomain(name.substring(0, slash))) {
            domain = name.substring(0, slash);
            path = name.substring(slash + 1);
            if (!DOMAIN.matcher(domain).matches()) {
                throw invalid(reference, "registry host \"" + domain + "\" is not a valid host[:port]");
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(reference, "repository path component \"" + component
                        + "\" must be lowercase letters, digits and separators (., _, __, -)");
            }
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of("latest");
        }
        return new ImageRef(domain, path, tag, digest);
    }

    /** Docker's rule: the first component is a registry when it has a dot, a port, or is localhost (or uppercase). */
    private static boolean isDomain(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase());
    }

    private static ImageException invalid(String reference, String why) {
        return new ImageException(ImageException.Kind.INVALID_ARGUMENT,
                "invalid image reference \"" + reference + "\": " + why);
    }

    /** {@code domain/path}, e.g. {@code docker.io/library/busybox}. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The tag or digest the registry is asked for; the digest wins when both are given. */
    String manifestReference() {
        return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
    }

    /** {@code repo:tag}, when there is a tag. */
    public Optional<String> tagged() {
        return tag.map(t -> repository() + ":" + t);
    }

    /** {@code repo@digest} for a manifest digest. */
    public String withDigest(Digest manifestDigest) {
        return repository() + "@" + manifestDigest;
    }

    @Override
    public String toString() {
        return repository() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
