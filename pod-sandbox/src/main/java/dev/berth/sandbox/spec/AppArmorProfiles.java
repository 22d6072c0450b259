package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.SecurityProfile;
import dev.berth.cri.api.v1.SecurityProfile.ProfileType;

/**
 * The AppArmor profile a container runs under, or null for none. Only a Localhost profile is
 * applied: Berth loads no runtime-default profile of its own, and on a node without AppArmor
 * (or for a privileged container) profiles are ignored.
 */
final class AppArmorProfiles {
    private static final String LOCALHOST = "localhost/";

    private AppArmorProfiles() {}

    static String forContainer(LinuxContainerSecurityContext sc, boolean privileged, boolean apparmorEnabled) {
        SecurityProfile profile = sc.hasApparmor() ? sc.getApparmor() : legacy(sc);
        if (profile == null) {
            return null;
        }
        if (profile.getProfileType() != ProfileType.Localhost && !profile.getLocalhostRef().isEmpty()) {
            throw new SpecException("apparmor.localhost_ref \"" + profile.getLocalhostRef() + "\" is set but profile_type is "
                    + profile.getProfileType() + "; set profile_type to Localhost or clear localhost_ref");
        }
        if (!apparmorEnabled || privileged || profile.getProfileType() != ProfileType.Localhost) {
            return null;
        }
        String name = profile.getLocalhostRef().startsWith(LOCALHOST)
                ? profile.getLocalhostRef().substring(LOCALHOST.length()) : profile.getLocalhostRef();
        if (name.isEmpty()) {
            throw new SpecException("apparmor: profile_type Localhost needs localhost_ref, the name of a profile loaded on the node");
        }
        return name;
    }

    /** The deprecated apparmor_profile string: "", runtime/default, unconfined or localhost/NAME. */
    @SuppressWarnings("deprecation")
    private static SecurityProfile legacy(LinuxContainerSecurityContext sc) {
        String value = sc.getApparmorProfile();
        if (value.isEmpty()) {
            return null;
        }
        if (value.equals("runtime/default")) {
            return SecurityProfile.newBuilder().setProfileType(ProfileType.RuntimeDefault).build();
        }
        if (value.equals("unconfined")) {
            return SecurityProfile.newBuilder().setProfileType(ProfileType.Unconfined).build();
        }
        if (value.startsWith(LOCALHOST)) {
            return SecurityProfile.newBuilder().setProfileType(ProfileType.Localhost).setLocalhostRef(value).build();
        }
        throw new SpecException("apparmor_profile \"" + value + "\" is not runtime/default, unconfined or localhost/<profile>");
    }
}
