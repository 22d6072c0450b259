package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.oci.Spec;
import dev.berth.sandbox.spec.CgroupsPathStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PauseBundleTest {
    /** A record as RunPodSandbox makes it now: with the pod's cgroup. */
    private static SandboxRecord record(String cgroupParent, NamespaceModes modes) {
        return legacyRecord(cgroupParent, modes).withPodCgroup(PodCgroup.of("abc", cgroupParent, null, null));
    }

    /** A record of an older daemon: no pod cgroup. */
    private static SandboxRecord legacyRecord(String cgroupParent, NamespaceModes modes) {
        return new SandboxRecord(1, "abc", "web", "default", "u", 0, 0, SandboxState.READY, null, null, "", "/run/netns/abc",
                null, "web", null, cgroupParent, modes, null);
    }

    private static List<String> namespaceTypes(Spec spec) {
        return spec.linux().namespaces().stream().map(Spec.Namespace::type).toList();
    }

    @Test
    void aPodGetsNewIpcUtsMountAndPidNamespacesAndJoinsItsNetns() {
        Spec spec = PauseBundle.spec(Path.of("/b/rootfs"), record("", null), Map.of("net.ipv4.ip_unprivileged_port_start", "0"),
                CgroupsPathStyle.CGROUPFS);
        assertEquals(List.of("mount", "ipc", "pid", "uts", "network"), namespaceTypes(spec));
        assertEquals("/run/netns/abc", spec.linux().namespaces().getLast().path());
        assertEquals("web", spec.hostname());
        assertEquals("/berth/abc/abc", spec.linux().cgroupsPath(), "in Berth's own pod cgroup");
        assertEquals(Map.of("net.ipv4.ip_unprivileged_port_start", "0"), spec.linux().sysctl());
        assertTrue(spec.root().readonly());
        assertEquals(PauseBundle.OOM_SCORE_ADJ, spec.process().oomScoreAdj());
        assertEquals(List.of(), spec.process().capabilities().bounding());
    }

    @Test
    void hostPidAndHostIpcKeepTheNodesNamespaces() {
        Spec spec = PauseBundle.spec(Path.of("/b/rootfs"), record("", new NamespaceModes("POD", "NODE", "NODE", "")), Map.of(),
                CgroupsPathStyle.CGROUPFS);
        assertEquals(List.of("mount", "uts", "network"), namespaceTypes(spec));
    }

    @Test
    void containerPidModeStillGivesTheSandboxItsOwnPidNamespace() {
        Spec spec = PauseBundle.spec(Path.of("/b/rootfs"), record("", new NamespaceModes("POD", "CONTAINER", "POD", "")), Map.of(),
                CgroupsPathStyle.CGROUPFS);
        assertTrue(namespaceTypes(spec).contains("pid"));
    }

    @Test
    void theCgroupGoesUnderKubeletsParent() {
        assertEquals("/kubepods/besteffort/pod1/abc", cgroupsPath(CgroupsPathStyle.CGROUPFS, "/kubepods/besteffort/pod1/"));
        assertEquals("/kubepods/abc", cgroupsPath(CgroupsPathStyle.CGROUPFS, "kubepods"));
    }

    @Test
    void underSystemdThePauseIsAScopeInThePodsSlice() {
        assertEquals("kubepods-besteffort-pod1.slice:berth:abc", cgroupsPath(CgroupsPathStyle.SYSTEMD, "kubepods-besteffort-pod1.slice"));
        // under systemd a pod without a parent has no pod cgroup of Berth's (RunPodSandbox records none)
        assertEquals("berth.slice:berth:abc",
                PauseBundle.spec(Path.of("/b/rootfs"), legacyRecord("", null), Map.of(), CgroupsPathStyle.SYSTEMD).linux().cgroupsPath());
    }

    private static String cgroupsPath(CgroupsPathStyle style, String parent) {
        return PauseBundle.spec(Path.of("/b/rootfs"), record(parent, null), Map.of(), style).linux().cgroupsPath();
    }

    @Test
    void aSandboxOfAnOlderDaemonKeepsItsCgroupWhereItWas() {
        assertEquals("/berth/abc", legacyCgroupsPath(""));
        assertEquals("/kubepods/pod1/abc", legacyCgroupsPath("/kubepods/pod1"));
    }

    private static String legacyCgroupsPath(String parent) {
        return PauseBundle.spec(Path.of("/b/rootfs"), legacyRecord(parent, null), Map.of(), CgroupsPathStyle.CGROUPFS).linux().cgroupsPath();
    }
}
