package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Path;
import java.util.List;

/** TEMPORARY STAND-IN (wip-spec): the real class is written in another worktree and replaces this file. */
public final class ImageUsers {
    private ImageUsers() {}

    /** The process user; this stand-in only knows numeric run_as_user/run_as_group and supplemental_groups. */
    public static Spec.User resolve(Path rootfs, LinuxContainerSecurityContext context, String imageUser) throws SpecException {
        long uid = context.hasRunAsUser() ? context.getRunAsUser().getValue() : 0;
        long gid = context.hasRunAsGroup() ? context.getRunAsGroup().getValue() : 0;
        return new Spec.User(uid, gid, null, List.copyOf(context.getSupplementalGroupsList()));
    }
}
