package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.SecurityProfile;
import dev.berth.runtime.oci.Spec;

/** TEMPORARY STAND-IN (wip-spec): the real class is written in another worktree and replaces this file. */
public final class SeccompProfiles {
    private SeccompProfiles() {}

    /** The seccomp filter for a container: null means unconfined. */
    public static Spec.Seccomp forContainer(SecurityProfile profile, String legacyPath, boolean privileged) throws SpecException {
        return null;
    }
}
