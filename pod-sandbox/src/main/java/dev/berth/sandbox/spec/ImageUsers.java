package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.SupplementalGroupsPolicy;
import dev.berth.runtime.oci.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user a container's process runs as, resolved as containerd's CRI plugin does
 * ({@code WithUser}, {@code WithAdditionalGIDs}, {@code WithSupplementalGroups}):
 *
 * <ul>
 *   <li>the user is run_as_username, else run_as_user, else the image's USER, else root; the
 *       group is run_as_group (only with a CRI user) or the group part of USER, else the
 *       passwd entry's gid, else 0;
 *   <li>additional gids are the primary gid, the /etc/group groups naming the user (unless the
 *       policy is Strict) and supplemental_groups, deduplicated and sorted.
 * </ul>
 */
public final class ImageUsers {
    private ImageUsers() {}

    /**
     * The process user: uid/gid from run_as_user/run_as_group/run_as_username or else the
     * image's USER ({@code imageUser}, "" = root), resolved against the rootfs' /etc/passwd and
     * /etc/group (read inside the rootfs); additionalGids = the user's /etc/group groups plus the
     * security context's supplemental_groups.
     */
    public static Spec.User resolve(Path rootfs, LinuxContainerSecurityContext context, String imageUser) throws SpecException {
        LinuxContainerSecurityContext security = context == null ? LinuxContainerSecurityContext.getDefaultInstance() : context;
        UserString user = UserString.of(security, imageUser == null ? "" : imageUser);
        ImageAccounts accounts = new ImageAccounts(rootfs);

        Long numericUid = user.id(user.user(), "uid");
        ImageAccounts.User named = numericUid != null ? null : accounts.userNamed(user.user()).orElseThrow(() -> new SpecException(
                "user \"" + user.user() + "\" (" + user.source() + ") not found in the image's /etc/passwd; "
                        + "add the user to the image or run as a numeric uid (runAsUser)"));
        long uid = named != null ? named.uid() : numericUid;
        long gid = user.group() != null ? gid(user, accounts)
                : named != null ? named.gid() : accounts.userWithUid(uid).map(ImageAccounts.User::gid).orElse(0L);

        List<Long> gids = new ArrayList<>(List.of(gid));
        SupplementalGroupsPolicy policy = security.getSupplementalGroupsPolicy();
        if (policy == SupplementalGroupsPolicy.Merge) {
            String member = named != null ? named.name()
                    : accounts.userWithUid(uid).map(ImageAccounts.User::name).orElse(null);
            if (member != null) {
                gids.addAll(accounts.groupsListing(member));
            }
        } else if (policy != SupplementalGroupsPolicy.Strict) {
            throw new SpecException("unknown supplemental_groups_policy " + security.getSupplementalGroupsPolicyValue()
                    + "; use Merge or Strict");
        }
        for (long supplemental : security.getSupplementalGroupsList()) {
            gids.add(UserString.checkedId(supplemental, "supplemental_groups gid"));
        }
        return new Spec.User(uid, gid, null, gids.stream().distinct().sorted().toList());
    }

    private static long gid(UserString user, ImageAccounts accounts) {
        Long numeric = user.id(user.group(), "gid");
        if (numeric != null) {
            return numeric;
        }
        return accounts.groupNamed(user.group()).orElseThrow(() -> new SpecException("group \"" + user.group() + "\" ("
                + user.source() + ") not found in the image's /etc/group; add the group to the image or use a numeric gid"))
                .gid();
    }

    /**
     * A user as containerd's user string: {@code user} is a name or uid, {@code group} a name,
     * gid or null; {@code source} names where it came from, for messages.
     */
    private record UserString(String user, String group, String source) {
        static UserString of(LinuxContainerSecurityContext security, String imageUser) {
            String group = security.hasRunAsGroup() ? Long.toString(checkedId(security.getRunAsGroup().getValue(), "run_as_group"))
                    : null;
            if (!security.getRunAsUsername().isEmpty()) {
                return new UserString(security.getRunAsUsername(), group, "run_as_username");
            }
            if (security.hasRunAsUser()) {
                return new UserString(Long.toString(checkedId(security.getRunAsUser().getValue(), "run_as_user")), group,
                        "run_as_user");
            }
            if (group != null) {
                throw new SpecException("run_as_group is set without run_as_user or run_as_username; "
                        + "set a user too (runAsUser), or drop runAsGroup");
            }
            if (imageUser.isEmpty()) {
                return new UserString("0", null, "the default user");
            }
            String[] parts = imageUser.split(":", -1);
            if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
                throw new SpecException("the image's USER \"" + imageUser + "\" is not user, uid, user:group or uid:gid; "
                        + "fix the image or set runAsUser");
            }
            return new UserString(parts[0], parts.length == 2 ? parts[1] : null, "the image's USER \"" + imageUser + "\"");
        }

        /** {@code value} as a decimal id, or null when it is a name. */
        Long id(String value, String kind) {
            if (!value.matches("[0-9]+")) {
                return null;
            }
            if (value.length() > 10 || Long.parseLong(value) > ImageAccounts.MAX_ID) {
                throw new SpecException(kind + " " + value + " of " + source + " is out of range; ids must be between 0 and "
                        + ImageAccounts.MAX_ID);
            }
            return Long.parseLong(value);
        }

        static long checkedId(long id, String what) {
            if (id < 0 || id > ImageAccounts.MAX_ID) {
                throw new SpecException(what + " " + id + " is out of range; ids must be between 0 and "
                        + ImageAccounts.MAX_ID);
            }
            return id;
        }
    }
}
