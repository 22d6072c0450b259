package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.SecurityProfile;
import dev.berth.cri.api.v1.SecurityProfile.ProfileType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AppArmor profiles and masked/read-only paths. */
class SecurityOptionsTest {
    private static LinuxContainerSecurityContext apparmor(ProfileType type, String ref) {
        return LinuxContainerSecurityContext.newBuilder()
                .setApparmor(SecurityProfile.newBuilder().setProfileType(type).setLocalhostRef(ref)).build();
    }

    @Test
    void aLocalhostProfileIsAppliedOnlyWhereAppArmorIsEnabled() {
        LinuxContainerSecurityContext sc = apparmor(ProfileType.Localhost, "localhost/k8s-nginx");
        assertEquals("k8s-nginx", AppArmorProfiles.forContainer(sc, false, true));
        assertNull(AppArmorProfiles.forContainer(sc, false, false));
        assertNull(AppArmorProfiles.forContainer(sc, true, true));
    }

    @Test
    void runtimeDefaultAndUnconfinedSetNoProfile() {
        assertNull(AppArmorProfiles.forContainer(apparmor(ProfileType.RuntimeDefault, ""), false, true));
        assertNull(AppArmorProfiles.forContainer(apparmor(ProfileType.Unconfined, ""), false, true));
        assertNull(AppArmorProfiles.forContainer(LinuxContainerSecurityContext.getDefaultInstance(), false, true));
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedStringFormIsUnderstood() {
        LinuxContainerSecurityContext sc = LinuxContainerSecurityContext.newBuilder().setApparmorProfile("localhost/custom").build();
        assertEquals("custom", AppArmorProfiles.forContainer(sc, false, true));
        LinuxContainerSecurityContext bad = LinuxContainerSecurityContext.newBuilder().setApparmorProfile("custom").build();
        assertThrows(SpecException.class, () -> AppArmorProfiles.forContainer(bad, false, true));
    }

    @Test
    void aLocalhostRefWithAnotherTypeIsRefused() {
        assertThrows(SpecException.class, () -> AppArmorProfiles.forContainer(apparmor(ProfileType.RuntimeDefault, "x"), false, true));
    }

    @Test
    void maskedAndReadonlyPathsComeFromTheRequestElseTheDefaults() {
        LinuxContainerSecurityContext sc = LinuxContainerSecurityContext.newBuilder().addMaskedPaths("/proc/kcore").build();
        assertEquals(List.of("/proc/kcore"), ProcPaths.masked(sc, false));
        assertEquals(ProcPaths.DEFAULT_READONLY, ProcPaths.readonly(sc, false));
        assertNull(ProcPaths.masked(sc, true));
        assertNull(ProcPaths.readonly(sc, true));
        LinuxContainerSecurityContext relative = LinuxContainerSecurityContext.newBuilder().addReadonlyPaths("proc/sys").build();
        assertThrows(SpecException.class, () -> ProcPaths.readonly(relative, false));
    }
}
