package dev.berth.image;

import java.util.List;
import java.util.Optional;

/**
 * A stored image.
 *
 * @param id the config digest ({@code sha256:...}), as CRI's image ID
 * @param repoTags normalized tag references, e.g. {@code docker.io/library/busybox:latest}
 * @param repoDigests {@code repo@sha256:<manifest digest>} references
 * @param size bytes the image's layers take (compressed sizes, as containerd reports)
 * @param user the config's USER as written ({@code ""} when unset)
 * @param uid the numeric uid when USER is numeric (or {@code uid:gid}); empty otherwise
 * @param username the user name when USER is a name; empty otherwise
 * @param pinned whether garbage collection and kubelet's image GC must keep it
 * @param configJson the image config as fetched, for verbose status
 */
public record Image(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        long size,
        String user,
        Optional<Long> uid,
        Optional<String> username,
        boolean pinned,
        String configJson) {
    public Image {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }
}
