package dev.berth.image;

import java.util.ArrayList;
import java.util.List;

/**
 * What Berth remembers of an image, stored as {@code images/<id hex>.json}. Strings rather than
 * typed values so the file format stays plain; {@code version} allows later changes.
 *
 * @param names tag references ({@code repo:tag}) and digest references ({@code repo@sha256:...})
 * @param layers compressed layer digests, bottom first
 * @param chainIds snapshot chain IDs, bottom first
 */
record ImageRecord(int version, String id, List<String> names, String manifestDigest, List<String> layers,
        List<String> chainIds, long size, boolean pinned) {
    static final int VERSION = 1;

    ImageRecord {
        names = List.copyOf(names);
        layers = List.copyOf(layers);
        chainIds = List.copyOf(chainIds);
    }

    Digest idDigest() {
        return Digest.parse(id);
    }

    List<String> tags() {
        return names.stream().filter(n -> !n.contains("@")).toList();
    }

    List<String> digests() {
        return names.stream().filter(n -> n.contains("@")).toList();
    }

    ImageRecord withNames(List<String> newNames) {
        return new ImageRecord(version, id, newNames, manifestDigest, layers, chainIds, size, pinned);
    }

    ImageRecord withName(String name) {
        if (names.contains(name)) {
            return this;
        }
        List<String> n = new ArrayList<>(names);
        n.add(name);
        return withNames(n);
    }

    ImageRecord withoutName(String name) {
        return withNames(names.stream().filter(n -> !n.equals(name)).toList());
    }

    ImageRecord withPinned(boolean p) {
        return new ImageRecord(version, id, names, manifestDigest, layers, chainIds, size, p);
    }
}
