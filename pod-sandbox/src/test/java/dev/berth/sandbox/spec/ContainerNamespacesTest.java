package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.UserNamespace;
import dev.berth.runtime.oci.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerNamespacesTest {
    private static final NamespaceOption POD = Fixtures.namespaces(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.POD);

    private static List<Spec.Namespace> of(NamespaceOption options, SandboxView sandbox, long targetPid) {
        return ContainerNamespaces.forContainer(options, sandbox, targetPid, false);
    }

    @Test
    void aPodContainerJoinsThePodsNamespacesWithItsOwnMountNamespace() {
        assertEquals(List.of(
                new Spec.Namespace("mount", null),
                new Spec.Namespace("network", "/run/berth/netns/sb1"),
                new Spec.Namespace("ipc", "/proc/4242/ns/ipc"),
                new Spec.Namespace("uts", "/proc/4242/ns/uts"),
                new Spec.Namespace("pid", "/proc/4242/ns/pid")), of(POD, Fixtures.sandbox(), 0));
    }

    @Test
    void containerPidModeGetsANewPidNamespace() {
        NamespaceOption options = POD.toBuilder().setPid(NamespaceMode.CONTAINER).build();
        assertTrue(of(options, Fixtures.sandbox(), 0).contains(new Spec.Namespace("pid", null)));
    }

    @Test
    void nodeModesLeaveTheNamespaceOut() {
        NamespaceOption options = Fixtures.namespaces(NamespaceMode.NODE, NamespaceMode.NODE, NamespaceMode.NODE);
        assertEquals(List.of(new Spec.Namespace("mount", null)), of(options, Fixtures.hostNetworkSandbox(), 0));
    }

    @Test
    void hostNetworkDropsNetworkAndUtsButKeepsThePodsIpc() {
        List<String> types = of(POD, Fixtures.hostNetworkSandbox(), 0).stream().map(Spec.Namespace::type).toList();
        assertEquals(List.of("mount", "ipc", "pid"), types);
    }

    @Test
    void targetModeJoinsTheTargetsPidNamespace() {
        NamespaceOption options = POD.toBuilder().setPid(NamespaceMode.TARGET).setTargetId("c1").build();
        assertTrue(of(options, Fixtures.sandbox(), 777).contains(new Spec.Namespace("pid", "/proc/777/ns/pid")));
        SpecException e = assertThrows(SpecException.class, () -> of(options, Fixtures.sandbox(), 0));
        assertTrue(e.getMessage().contains("\"c1\""), e.getMessage());
    }

    @Test
    void aCgroupNamespaceIsAddedWhenAsked() {
        assertEquals(new Spec.Namespace("cgroup", null), ContainerNamespaces.forContainer(POD, Fixtures.sandbox(), 0, true).getLast());
    }

    @Test
    void aSandboxWithoutPauseProcessCannotBeJoined() {
        SandboxView s = Fixtures.sandbox();
        SandboxView noPause = new SandboxView(s.sandboxId(), 0, s.netnsPath(), s.podNamespaces(), null, null, null, null, "", "");
        SpecException e = assertThrows(SpecException.class, () -> of(POD, noPause, 0));
        assertTrue(e.getMessage().contains("sb1"), e.getMessage());
    }

    @Test
    void podUserNamespacesAreNotSupported() {
        NamespaceOption options = POD.toBuilder().setUsernsOptions(UserNamespace.newBuilder().setMode(NamespaceMode.POD)).build();
        assertThrows(SpecException.class, () -> of(options, Fixtures.sandbox(), 0));
        NamespaceOption node = POD.toBuilder().setUsernsOptions(UserNamespace.newBuilder().setMode(NamespaceMode.NODE)).build();
        assertEquals(5, of(node, Fixtures.sandbox(), 0).size());
    }
}
