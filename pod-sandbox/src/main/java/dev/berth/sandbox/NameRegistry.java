package dev.berth.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reserved sandbox names ({@link SandboxRecord#reservedName()}) and the id holding each. A name is
 * reserved from the start of a RunPodSandbox until its sandbox is removed (or the run fails), so
 * two sandboxes never share a name; the same request again finds the holder instead.
 */
final class NameRegistry {
    private final Map<String, String> idsByName = new HashMap<>();

    /** Reserves {@code name} for {@code id}; when the name is taken, returns the id holding it and reserves nothing. */
    synchronized Optional<String> reserve(String name, String id) {
        String holder = idsByName.putIfAbsent(name, id);
        return Optional.ofNullable(holder);
    }

    /** Releases the name if {@code id} holds it (a release by anyone else is ignored). */
    synchronized void release(String name, String id) {
        idsByName.remove(name, id);
    }

    synchronized Optional<String> holder(String name) {
        return Optional.ofNullable(idsByName.get(name));
    }
}
