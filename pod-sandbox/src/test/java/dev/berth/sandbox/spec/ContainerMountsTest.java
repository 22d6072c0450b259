package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.Mount;
import dev.berth.cri.api.v1.MountPropagation;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {
    @TempDir
    Path dir;
    private SandboxView sandbox;

    @BeforeEach
    void sandboxFiles() throws IOException {
        for (String f : List.of("hosts", "resolv.conf", "hostname")) {
            Files.writeString(dir.resolve(f), f);
        }
        Files.createDirectories(dir.resolve("shm"));
        Files.createDirectories(dir.resolve("data/logs"));
        SandboxView s = Fixtures.sandbox();
        sandbox = new SandboxView(s.sandboxId(), s.pausePid(), s.netnsPath(), s.podNamespaces(), dir.resolve("hosts"),
                dir.resolve("resolv.conf"), dir.resolve("hostname"), dir.resolve("shm"), "", "web-0");
    }

    private Mount.Builder bind(String containerPath, Path hostPath) {
        return Mount.newBuilder().setContainerPath(containerPath).setHostPath(hostPath.toString());
    }

    private ContainerMounts.Result build(ContainerConfig.Builder config, boolean privileged, boolean readonlyRootfs) {
        return ContainerMounts.build(config.build(), sandbox, privileged, false, readonlyRootfs);
    }

    private static List<String> destinations(ContainerMounts.Result r) {
        return r.mounts().stream().map(Spec.Mount::destination).toList();
    }

    private static Spec.Mount at(ContainerMounts.Result r, String destination) {
        return r.mounts().stream().filter(m -> m.destination().equals(destination)).findFirst().orElseThrow();
    }

    @Test
    void defaultsAndSandboxFilesComeParentsFirst() throws IOException {
        ContainerMounts.Result r = build(Fixtures.config("c"), false, false);
        assertEquals(List.of("/proc", "/dev", "/sys", "/dev/pts", "/dev/mqueue", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf",
                "/dev/shm", "/sys/fs/cgroup"), destinations(r));
        assertEquals(new Spec.Mount("/etc/hosts", "bind", dir.resolve("hosts").toRealPath().toString(), List.of("rbind", "rprivate", "rw")),
                at(r, "/etc/hosts"));
        assertEquals(dir.resolve("shm").toRealPath().toString(), at(r, "/dev/shm").source());
        assertEquals(List.of("nosuid", "noexec", "nodev", "ro"), at(r, "/sys").options());
        assertTrue(at(r, "/sys/fs/cgroup").options().contains("ro"));
        assertEquals(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"), at(r, "/dev/pts").options());
        assertNull(r.rootfsPropagation());
    }

    @Test
    void aReadOnlyRootfsMakesTheEtcFilesReadOnlyButNotShm() {
        ContainerMounts.Result r = build(Fixtures.config("c"), false, true);
        assertTrue(at(r, "/etc/resolv.conf").options().contains("ro"));
        assertTrue(at(r, "/etc/hostname").options().contains("ro"));
        assertTrue(at(r, "/dev/shm").options().contains("rw"));
    }

    @Test
    void privilegedContainersGetWritableSysfsAndCgroupfs() {
        ContainerMounts.Result r = build(Fixtures.config("c"), true, false);
        assertTrue(at(r, "/sys").options().contains("rw"));
        assertTrue(at(r, "/sys/fs/cgroup").options().contains("rw"));
    }

    @Test
    void aRequestMountOverridesTheSandboxFileAtTheSamePath() throws IOException {
        Path kubeletHosts = Files.writeString(dir.resolve("etc-hosts"), "10.0.0.1 web-0");
        ContainerMounts.Result r = build(Fixtures.config("c").addMounts(bind("/etc/hosts/", kubeletHosts)), false, false);
        List<Spec.Mount> hosts = r.mounts().stream().filter(m -> m.destination().equals("/etc/hosts")).toList();
        assertEquals(1, hosts.size());
        assertEquals(kubeletHosts.toRealPath().toString(), hosts.getFirst().source());
    }

    @Test
    void aMountAtDevReplacesEveryDefaultUnderDev() {
        ContainerMounts.Result r = build(Fixtures.config("c").addMounts(bind("/dev", dir.resolve("data"))), false, false);
        assertEquals(1, destinations(r).stream().filter(d -> d.equals("/dev")).count());
        assertEquals("bind", at(r, "/dev").type());
        assertTrue(destinations(r).stream().noneMatch(d -> d.equals("/dev/pts") || d.equals("/dev/mqueue")));
    }

    @Test
    void requestMountsAreSortedSoParentsComeFirst() {
        ContainerMounts.Result r = build(Fixtures.config("c")
                .addMounts(bind("/data/logs", dir.resolve("data/logs")))
                .addMounts(bind("/data", dir.resolve("data")).setReadonly(true)), false, false);
        List<String> d = destinations(r);
        assertTrue(d.indexOf("/data") < d.indexOf("/data/logs"), d.toString());
        assertEquals(List.of("rbind", "rprivate", "ro"), at(r, "/data").options());
    }

    @Test
    void propagationMapsToSlaveAndSharedAndTheRootfsFollows() {
        ContainerMounts.Result slave = build(Fixtures.config("c")
                .addMounts(bind("/a", dir.resolve("data")).setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER)), false, false);
        assertEquals(List.of("rbind", "rslave", "rw"), at(slave, "/a").options());
        assertEquals("rslave", slave.rootfsPropagation());
        ContainerMounts.Result shared = build(Fixtures.config("c")
                .addMounts(bind("/a", dir.resolve("data")).setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL))
                .addMounts(bind("/b", dir.resolve("data")).setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER)), false, false);
        assertEquals(List.of("rbind", "rshared", "rw"), at(shared, "/a").options());
        assertEquals("rshared", shared.rootfsPropagation());
    }

    @Test
    void hostSymlinksAreResolvedAndSelinuxRelabelIsAccepted() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("data"));
        ContainerMounts.Result r = build(Fixtures.config("c").addMounts(bind("/a", link).setSelinuxRelabel(true)), false, false);
        assertEquals(dir.resolve("data").toRealPath().toString(), at(r, "/a").source());
    }

    @Test
    void aMissingHostPathIsAnError() {
        SpecException e = assertThrows(SpecException.class,
                () -> build(Fixtures.config("c").addMounts(bind("/a", dir.resolve("nope"))), false, false));
        assertTrue(e.getMessage().contains("mounts[0]") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void recursiveReadOnlyAndImageVolumesAreNotSupported() {
        SpecException rro = assertThrows(SpecException.class, () -> build(Fixtures.config("c")
                .addMounts(bind("/a", dir.resolve("data")).setReadonly(true).setRecursiveReadOnly(true)), false, false));
        assertTrue(rro.getMessage().contains("not supported"), rro.getMessage());
        SpecException image = assertThrows(SpecException.class, () -> build(Fixtures.config("c")
                .addMounts(Mount.newBuilder().setContainerPath("/models").setImage(ImageSpec.newBuilder().setImage("sha256:abc"))), false, false));
        assertTrue(image.getMessage().contains("image volumes are not supported"), image.getMessage());
    }

    @Test
    void containerPathsAreCleaned() {
        assertEquals("/a/b", ContainerPaths.clean("/a/./b//"));
        assertEquals("/etc", ContainerPaths.clean("/../etc"));
        assertEquals("/", ContainerPaths.clean("/"));
        assertEquals("/rel", ContainerPaths.clean("rel"));
        assertEquals(0, ContainerPaths.depth("/"));
        assertEquals(2, ContainerPaths.depth("/dev/pts"));
        assertTrue(ContainerPaths.isUnder("/dev/pts", "/dev"));
        assertTrue(!ContainerPaths.isUnder("/devices", "/dev"));
    }
}
