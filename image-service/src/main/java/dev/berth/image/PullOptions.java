package dev.berth.image;

import java.util.Optional;

/** How to pull: credentials for the registry (CRI's AuthConfig), if any. */
public record PullOptions(Optional<RegistryAuth> auth) {
    public static final PullOptions ANONYMOUS = new PullOptions(Optional.empty());

    public static PullOptions withAuth(RegistryAuth auth) {
        return new PullOptions(Optional.of(auth));
    }
}
