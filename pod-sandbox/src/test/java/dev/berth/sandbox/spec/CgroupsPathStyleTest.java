package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupsPathStyleTest {

    @Test
    void cgroupfsPathsGoUnderTheParentOrBerth() {
        assertEquals("/kubepods/burstable/pod1/c1", CgroupsPathStyle.CGROUPFS.cgroupsPath("/kubepods/burstable/pod1//", "c1"));
        assertEquals("/kubepods/c1", CgroupsPathStyle.CGROUPFS.cgroupsPath("kubepods", "c1"));
        assertEquals("/berth/c1", CgroupsPathStyle.CGROUPFS.cgroupsPath("", "c1"));
    }

    @Test
    void systemdPathsNameThePodsSliceWhetherKubeletSendsItsNameOrItsExpandedPath() {
        assertEquals("kubepods-burstable-pod1.slice:berth:c1", CgroupsPathStyle.SYSTEMD.cgroupsPath("kubepods-burstable-pod1.slice", "c1"));
        assertEquals("kubepods-burstable-pod1.slice:berth:c1",
                CgroupsPathStyle.SYSTEMD.cgroupsPath("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/", "c1"));
    }

    @Test
    void withoutAParentSystemdPathsGoToBerthSlice() {
        assertEquals("berth.slice:berth:c1", CgroupsPathStyle.SYSTEMD.cgroupsPath("", "c1"));
        CgroupsPathStyle.SYSTEMD.checkParent("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/kubepods/burstable/pod1", "kubepods", ".slice", "a:b.slice"})
    void aParentThatIsNoSliceIsRefusedUnderSystemdNamingTheFix(String parent) {
        SpecException e = assertThrows(SpecException.class, () -> CgroupsPathStyle.SYSTEMD.checkParent(parent));
        assertTrue(e.getMessage().contains("set kubelet's cgroupDriver to systemd"), e.getMessage());
        assertThrows(SpecException.class, () -> CgroupsPathStyle.SYSTEMD.cgroupsPath(parent, "c1"));
    }

    @Test
    void cgroupfsTakesAnyParent() {
        CgroupsPathStyle.CGROUPFS.checkParent("kubepods-burstable-pod1.slice");
        assertEquals("/kubepods-burstable-pod1.slice/c1", CgroupsPathStyle.CGROUPFS.cgroupsPath("kubepods-burstable-pod1.slice", "c1"));
    }
}
