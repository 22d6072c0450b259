package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.Int64Value;
import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.SupplementalGroupsPolicy;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUsersTest {
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            # a comment
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin
            broken:x:notanumber:5::/:/bin/sh
              app:x:1000:1000::/home/app:/bin/sh\s\s
            """;
    private static final String GROUP = """
            root:x:0:
            wheel:x:10:root,app
            nginx:x:101:nginx
            www-data:x:33:nginx, app
            staff:x:50:
            video:x:44:nginx
            """;

    @TempDir
    Path tmp;
    Path rootfs;

    @BeforeEach
    void image() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
    }

    private static LinuxContainerSecurityContext.Builder context() {
        return LinuxContainerSecurityContext.newBuilder();
    }

    private Spec.User resolve(LinuxContainerSecurityContext.Builder context, String imageUser) {
        return ImageUsers.resolve(rootfs, context.build(), imageUser);
    }

    private static void assertUser(long uid, long gid, List<Long> gids, Spec.User user) {
        assertEquals(List.of(uid, gid, gids), List.of(user.uid(), user.gid(), user.additionalGids()));
    }

    @Test
    void noUserAnywhereIsRootWithRootsGroups() {
        assertUser(0, 0, List.of(0L, 10L), resolve(context(), ""));
        assertUser(0, 0, List.of(0L, 10L), ImageUsers.resolve(rootfs, null, ""));
    }

    @Test
    void anImageWithoutPasswdOrGroupRunsNumericUsers() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertUser(0, 0, List.of(0L), resolve(context(), ""));
        assertUser(1234, 0, List.of(0L), resolve(context(), "1234"));
        assertUser(1234, 55, List.of(55L), resolve(context(), "1234:55"));
    }

    @Test
    void anImageUserNameTakesItsPasswdIdsAndTheGroupsListingIt() {
        // 101 "nginx" lists nginx but is named as the user: containerd leaves it to the primary gid.
        assertUser(101, 101, List.of(33L, 44L, 101L), resolve(context(), "nginx"));
    }

    @Test
    void membersAndLinesAreTrimmedAndBadLinesSkipped() {
        assertUser(1000, 1000, List.of(10L, 33L, 1000L), resolve(context(), "app"));
        SpecException e = assertThrows(SpecException.class, () -> resolve(context(), "broken"));
        assertTrue(e.getMessage().contains("user \"broken\""), e.getMessage());
    }

    @Test
    void aNumericImageUserTakesTheGidOfItsPasswdEntryOrZero() {
        assertUser(101, 101, List.of(33L, 44L, 101L), resolve(context(), "101"));
        assertUser(4242, 0, List.of(0L), resolve(context(), "4242"));
    }

    @Test
    void anImageGroupPartOverridesTheGid() {
        assertUser(101, 50, List.of(33L, 44L, 50L), resolve(context(), "nginx:staff"));
        assertUser(101, 7, List.of(7L, 33L, 44L), resolve(context(), "nginx:7"));
        assertUser(101, 50, List.of(33L, 44L, 50L), resolve(context(), "101:staff"));
        assertUser(4242, 7, List.of(7L), resolve(context(), "4242:7"));
    }

    @Test
    void aNameMissingFromPasswdIsRefusedWithWhatToDo() {
        SpecException e = assertThrows(SpecException.class, () -> resolve(context(), "postgres"));
        assertTrue(e.getMessage().contains("user \"postgres\""), e.getMessage());
        assertTrue(e.getMessage().contains("not found in the image's /etc/passwd"), e.getMessage());
        SpecException group = assertThrows(SpecException.class, () -> resolve(context(), "nginx:nobody"));
        assertTrue(group.getMessage().contains("group \"nobody\""), group.getMessage());
        assertTrue(group.getMessage().contains("/etc/group"), group.getMessage());
    }

    @Test
    void malformedOrOutOfRangeImageUsersAreRefused() {
        for (String user : List.of("a:b:c", ":5", "nginx:", "2147483648", "1:99999999999999999999")) {
            SpecException e = assertThrows(SpecException.class, () -> resolve(context(), user), user);
            assertTrue(e.getMessage().contains(user.contains("9999") ? "out of range" : user), e.getMessage());
        }
    }

    @Test
    void runAsUsernameWinsOverTheImageUser() {
        assertUser(101, 101, List.of(33L, 44L, 101L), resolve(context().setRunAsUsername("nginx"), "app"));
        assertThrows(SpecException.class, () -> resolve(context().setRunAsUsername("ghost"), ""));
    }

    @Test
    void runAsUserWinsOverTheImageUserAndTakesItsPasswdGid() {
        assertUser(1000, 1000, List.of(10L, 33L, 1000L), resolve(context().setRunAsUser(Int64Value.newBuilder().setValue(1000)), "nginx"));
        assertUser(0, 0, List.of(0L, 10L), resolve(context().setRunAsUser(Int64Value.newBuilder().setValue(0)), "nginx"));
        assertUser(5000, 0, List.of(0L), resolve(context().setRunAsUser(Int64Value.newBuilder().setValue(5000)), "nginx"));
    }

    @Test
    void runAsGroupOverridesTheGidOfTheCriUser() {
        assertUser(1000, 3000, List.of(10L, 33L, 3000L), resolve(context()
                .setRunAsUser(Int64Value.newBuilder().setValue(1000)).setRunAsGroup(Int64Value.newBuilder().setValue(3000)), ""));
        assertUser(101, 3000, List.of(33L, 44L, 3000L), resolve(context()
                .setRunAsUsername("nginx").setRunAsGroup(Int64Value.newBuilder().setValue(3000)), ""));
    }

    @Test
    void runAsGroupWithoutAUserIsRefused() {
        SpecException e = assertThrows(SpecException.class,
                () -> resolve(context().setRunAsGroup(Int64Value.newBuilder().setValue(3000)), "nginx"));
        assertTrue(e.getMessage().contains("run_as_group"), e.getMessage());
    }

    @Test
    void negativeCriIdsAreRefused() {
        assertThrows(SpecException.class, () -> resolve(context().setRunAsUser(Int64Value.newBuilder().setValue(-1)), ""));
        assertThrows(SpecException.class, () -> resolve(context().addSupplementalGroups(-5), ""));
    }

    @Test
    void supplementalGroupsAreMergedDeduplicatedAndSorted() {
        assertUser(101, 101, List.of(2L, 33L, 44L, 101L, 2000L), resolve(context().addSupplementalGroups(2000).addSupplementalGroups(44)
                .addSupplementalGroups(2), "nginx"));
    }

    @Test
    void strictPolicyIgnoresEtcGroupMembership() {
        LinuxContainerSecurityContext.Builder strict = context()
                .setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict).addSupplementalGroups(2000);
        assertUser(101, 101, List.of(101L, 2000L), resolve(strict, "nginx"));
    }

    @Test
    void aPasswdSymlinkedOutOfTheRootfsReadsTheRootfsNotTheHost() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), host.resolve("passwd"));
        SpecException e = assertThrows(SpecException.class, () -> resolve(context(), "evil"));
        assertTrue(e.getMessage().contains("not found in the image's /etc/passwd"), e.getMessage());

        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../../../host/passwd"));
        assertThrows(SpecException.class, () -> resolve(context(), "evil"));
    }

    @Test
    void aPasswdSymlinkedInsideTheRootfsIsFollowed() throws IOException {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.move(rootfs.resolve("etc/passwd"), rootfs.resolve("usr/lib/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/usr/lib/passwd"));
        assertUser(101, 101, List.of(33L, 44L, 101L), resolve(context(), "nginx"));
    }

    @Test
    void anEtcSymlinkedToTheHostsEtcStaysInTheRootfs() throws IOException {
        Path hostEtc = Files.createDirectories(tmp.resolve("hostetc"));
        Files.writeString(hostEtc.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
        Files.move(rootfs.resolve("etc"), rootfs.resolve("real-etc"));
        Files.createSymbolicLink(rootfs.resolve("etc"), hostEtc);
        assertThrows(SpecException.class, () -> resolve(context(), "evil"));
        assertUser(0, 0, List.of(0L), resolve(context(), ""));
    }

    @Test
    void aPasswdSymlinkLoopIsRefused() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("passwd"));
        SpecException e = assertThrows(SpecException.class, () -> resolve(context(), "nginx"));
        assertTrue(e.getMessage().contains("/etc/passwd: more than 40 symlinks"), e.getMessage());
    }

    @Test
    void aPasswdThatIsNotARegularFileIsRefused() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createDirectories(rootfs.resolve("etc/passwd"));
        SpecException e = assertThrows(SpecException.class, () -> resolve(context(), "nginx"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void anOversizedGroupFileIsRefused() throws IOException {
        Files.write(rootfs.resolve("etc/group"), new byte[ImageAccounts.MAX_FILE_BYTES + 1]);
        SpecException e = assertThrows(SpecException.class, () -> resolve(context(), "nginx"));
        assertTrue(e.getMessage().contains("/etc/group is larger than 1 MiB"), e.getMessage());
    }

    @Test
    void numericUserAndGroupWithStrictPolicyReadNothing() throws IOException {
        Files.write(rootfs.resolve("etc/passwd"), new byte[ImageAccounts.MAX_FILE_BYTES + 1]);
        Files.write(rootfs.resolve("etc/group"), new byte[ImageAccounts.MAX_FILE_BYTES + 1]);
        assertUser(7, 8, List.of(8L), resolve(context().setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict), "7:8"));
    }
}
