package dev.berth.sandbox;

import java.util.Collection;
import java.util.List;

/** Ids as people and kubelet pass them: the whole id or a unique prefix (crictl shows 13 characters). */
final class Ids {
    private Ids() {}

    /** The id that equals or starts with {@code idOrPrefix}; an unmatched value is returned as it is (the caller decides). */
    static String resolve(String idOrPrefix, String what, Collection<String> ids) {
        if (idOrPrefix == null || idOrPrefix.isEmpty()) {
            throw SandboxException.invalid(what + " id is empty");
        }
        if (ids.contains(idOrPrefix)) {
            return idOrPrefix;
        }
        List<String> matches = ids.stream().filter(id -> id.startsWith(idOrPrefix)).toList();
        if (matches.size() > 1) {
            throw SandboxException.invalid(what + " id prefix \"" + idOrPrefix + "\" matches " + matches.size() + " " + what
                    + "s; give more characters");
        }
        return matches.isEmpty() ? idOrPrefix : matches.getFirst();
    }
}
