package dev.berth.image;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the record a user's string names: an ID (full, {@code sha256:}-prefixed or a unique hex prefix) or a reference. */
final class ImageLookup {
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{3,64}");

    private ImageLookup() {}

    static Optional<ImageRecord> find(ImageRecords records, String name) {
        if (name == null || name.isEmpty()) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, "image name is empty");
        }
        if (HEX_PREFIX.matcher(name).matches()) {
            String hex = name.startsWith("sha256:") ? name.substring(7) : name;
            List<ImageRecord> hits = records.byIdPrefix(hex);
            if (hits.size() == 1) {
                return Optional.of(hits.get(0));
            }
            if (hits.size() > 1) {
                throw new ImageException(ImageException.Kind.INVALID_ARGUMENT,
                        "image ID prefix \"" + name + "\" is ambiguous; give more of it");
            }
            if (name.startsWith("sha256:") || hex.length() == 64) {
                return Optional.empty();
            }
        }
        ImageRef ref = ImageRef.parse(name);
        if (ref.digest().isPresent()) {
            return records.byName(ref.withDigest(ref.digest().get()));
        }
        return records.byName(ref.tagged().orElseThrow());
    }
}
