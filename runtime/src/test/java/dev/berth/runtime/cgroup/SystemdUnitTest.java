package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SystemdUnitTest {

    @ParameterizedTest
    @CsvSource({
        "kubepods.slice, /kubepods.slice",
        "kubepods-burstable.slice, /kubepods.slice/kubepods-burstable.slice",
        "kubepods-burstable-pod123.slice, /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod123.slice",
        "-.slice, /",
        "system.slice, /system.slice"})
    void eachDashOpensANestedSlice(String slice, String path) {
        assertEquals(path, SystemdUnit.expandSlice(slice));
    }

    @ParameterizedTest
    @ValueSource(strings = {".slice", "kubepods", "a--b.slice", "-a.slice", "a-.slice", "a/b.slice", "kube pods.slice"})
    void badSliceNamesAreRefused(String slice) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemdUnit.expandSlice(slice));
        assertTrue(e.getMessage().contains("is not a systemd slice name"), e.getMessage());
    }

    @Test
    void aContainerIsAScopeNamedPrefixDashNameUnderItsExpandedSlice() {
        SystemdUnit unit = SystemdUnit.parse("kubepods-burstable-pod123.slice:berth:c1");

        assertEquals("kubepods-burstable-pod123.slice", unit.slice());
        assertEquals("berth-c1.scope", unit.unit());
        assertEquals("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod123.slice/berth-c1.scope", unit.cgroupPath());
        assertFalse(unit.isSlice());
    }

    @Test
    void containerdsFormReadsTheSameWay() {
        SystemdUnit unit = SystemdUnit.parse("kubepods-besteffort-pod9.slice:cri-containerd:abc");

        assertEquals("cri-containerd-abc.scope", unit.unit());
        assertEquals("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod9.slice/cri-containerd-abc.scope",
                unit.cgroupPath());
    }

    @Test
    void anEmptySliceIsSystemSliceAsInRunc() {
        SystemdUnit unit = SystemdUnit.parse(":berth:c1");

        assertEquals("system.slice", unit.slice());
        assertEquals("/system.slice/berth-c1.scope", unit.cgroupPath());
    }

    @Test
    void aNameEndingInSliceIsThatSliceWantedByItsParent() {
        SystemdUnit unit = SystemdUnit.parse("kubepods-burstable.slice:berth:kubepods-burstable-pod1.slice");

        assertTrue(unit.isSlice());
        assertEquals("kubepods-burstable-pod1.slice", unit.unit());
        assertEquals("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice", unit.cgroupPath());
    }

    @Test
    void theRootSliceHoldsItsUnitsAtTheTop() {
        assertEquals("/berth-c1.scope", SystemdUnit.parse("-.slice:berth:c1").cgroupPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/kubepods/burstable/pod1/c1", "a.slice:c1", "a.slice:berth:c1:x"})
    void aPathNotOfTheFormSlicePrefixNameIsRefusedNamingTheForm(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemdUnit.parse(path));
        assertTrue(e.getMessage().contains("slice:prefix:name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.slice:berth:", "a.slice:berth:../x", "a.slice:ber th:c1", "a.slice:berth:c/1"})
    void namesWithCharactersSystemdRefusesAreRefused(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemdUnit.parse(path));
        assertTrue(e.getMessage().contains("unit name characters") || e.getMessage().contains("not of the form"), e.getMessage());
    }

    @Test
    void aBadSliceInThePathIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SystemdUnit.parse("/kubepods.slice:berth:c1"));
    }
}
