package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.cri.api.v1.CDIDevice;
import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.KeyValue;
import dev.berth.cri.api.v1.LinuxContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerSpecsTest {
    private static final ImageDefaults IMAGE = new ImageDefaults(List.of(), List.of("nginx"), List.of("PATH=/usr/sbin:/usr/bin"),
            "/srv", "", "SIGQUIT");

    @TempDir
    Path rootfs;

    @BeforeEach
    void imageFiles() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
    }

    private Spec build(ContainerConfig config, SandboxView sandbox) {
        return ContainerSpecs.build(new ContainerSpecInput("c1", config, sandbox, IMAGE, rootfs, "docker.io/library/nginx:1.25"),
                Fixtures.HOST);
    }

    private Spec build(ContainerConfig config) {
        return build(config, Fixtures.sandbox());
    }

    @Test
    void aPlainContainerGetsTheImageDefaultsAndThePodsNamespaces() {
        Spec spec = build(Fixtures.config("web").putAnnotations("note", "hi").build());
        assertEquals(List.of("nginx"), spec.process().args());
        assertEquals(List.of("PATH=/usr/sbin:/usr/bin", "HOSTNAME=web-0"), spec.process().env());
        assertEquals("/srv", spec.process().cwd());
        assertFalse(spec.process().terminal());
        assertEquals(0L, spec.process().user().uid());
        assertEquals(Capabilities.DEFAULT, spec.process().capabilities().bounding());
        assertNull(spec.process().oomScoreAdj());
        assertNull(spec.hostname());
        assertEquals(new Spec.Root(rootfs.toString(), false), spec.root());
        assertEquals("/berth/c1", spec.linux().cgroupsPath());
        assertEquals(ProcPaths.DEFAULT_MASKED, spec.linux().maskedPaths());
        assertEquals(ProcPaths.DEFAULT_READONLY, spec.linux().readonlyPaths());
        assertEquals(5, spec.linux().namespaces().size());
        assertNull(spec.linux().resources());
        assertNull(spec.process().rlimits());
        assertNull(spec.linux().sysctl());
        assertEquals("container", spec.annotations().get("io.kubernetes.cri.container-type"));
        assertEquals("web", spec.annotations().get("io.kubernetes.cri.container-name"));
        assertEquals("sb1", spec.annotations().get("io.kubernetes.cri.sandbox-id"));
        assertEquals("docker.io/library/nginx:1.25", spec.annotations().get("io.kubernetes.cri.image-name"));
        assertEquals("hi", spec.annotations().get("note"));
    }

    @Test
    void theRequestsSecurityContextAndResourcesApply() {
        ContainerConfig config = Fixtures.config("web").setTty(true).setWorkingDir("/work")
                .addEnvs(KeyValue.newBuilder().setKey("MODE").setValue(ByteString.copyFromUtf8("dev")))
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(1 << 20).setOomScoreAdj(900))
                        .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setReadonlyRootfs(true).setNoNewPrivs(true)))
                .build();
        Spec spec = build(config);
        assertTrue(spec.process().terminal());
        assertEquals("/work", spec.process().cwd());
        assertTrue(spec.process().env().contains("MODE=dev"));
        assertTrue(spec.root().readonly());
        assertTrue(spec.process().noNewPrivileges());
        assertEquals(900, spec.process().oomScoreAdj());
        assertEquals(1L << 20, spec.linux().resources().memory().limit());
    }

    @Test
    void aPrivilegedContainerIsUnconfined() {
        Spec spec = build(Fixtures.withSecurity(Fixtures.config("debug"), LinuxContainerSecurityContext.newBuilder().setPrivileged(true)));
        assertEquals(Capabilities.ALL, spec.process().capabilities().effective());
        assertNull(spec.linux().maskedPaths());
        assertNull(spec.linux().readonlyPaths());
        assertNull(spec.linux().seccomp());
        assertTrue(spec.linux().devices().stream().anyMatch(d -> d.path().equals("/dev/null")));
        assertTrue(spec.mounts().stream().filter(m -> m.type().equals("sysfs")).allMatch(m -> m.options().contains("rw")));
    }

    @Test
    void hostNetworkPodsGetTheNodesHostnameAndNoNetworkOrUtsNamespace() {
        Spec spec = build(Fixtures.config("web").build(), Fixtures.hostNetworkSandbox());
        assertTrue(spec.process().env().contains("HOSTNAME=node-1"));
        assertTrue(spec.linux().namespaces().stream().noneMatch(n -> n.type().equals("network") || n.type().equals("uts")));
    }

    @Test
    void theCgroupGoesUnderKubeletsParent() {
        SandboxView s = Fixtures.sandbox();
        SandboxView kubelet = new SandboxView(s.sandboxId(), s.pausePid(), s.netnsPath(), s.podNamespaces(), null, null, null, null,
                "kubepods/burstable/pod123/", s.hostname());
        assertEquals("/kubepods/burstable/pod123/c1", build(Fixtures.config("web").build(), kubelet).linux().cgroupsPath());
    }

    @Test
    void underSystemdTheContainerIsABerthScopeInThePodsSlice() {
        SandboxView s = Fixtures.sandbox();
        SandboxView kubelet = new SandboxView(s.sandboxId(), s.pausePid(), s.netnsPath(), s.podNamespaces(), null, null, null, null,
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod123.slice", s.hostname(), CgroupsPathStyle.SYSTEMD);
        assertEquals("kubepods-burstable-pod123.slice:berth:c1", build(Fixtures.config("web").build(), kubelet).linux().cgroupsPath());
    }

    @Test
    void cgroupV2HostsGiveUnprivilegedContainersACgroupNamespace() {
        HostFacts v2 = new HostFacts(true, false, "node-1", Path.of("/dev"));
        Spec spec = ContainerSpecs.build(new ContainerSpecInput("c1", Fixtures.config("web").build(), Fixtures.sandbox(), IMAGE, rootfs, ""), v2);
        assertEquals("cgroup", spec.linux().namespaces().getLast().type());
    }

    @Test
    void badRequestsAreRefused() {
        assertThrows(SpecException.class, () -> build(Fixtures.config("").build()));
        SpecException cdi = assertThrows(SpecException.class,
                () -> build(Fixtures.config("web").addCDIDevices(CDIDevice.newBuilder().setName("vendor.com/gpu=0")).build()));
        assertTrue(cdi.getMessage().contains("vendor.com/gpu=0"), cdi.getMessage());
        SpecException cwd = assertThrows(SpecException.class, () -> build(Fixtures.config("web").setWorkingDir("srv").build()));
        assertTrue(cwd.getMessage().contains("working_dir \"srv\""), cwd.getMessage());
        ContainerSpecInput noCommand = new ContainerSpecInput("c1", Fixtures.config("web").build(), Fixtures.sandbox(), ImageDefaults.NONE,
                rootfs, "");
        assertThrows(SpecException.class, () -> ContainerSpecs.build(noCommand, Fixtures.HOST));
    }
}
