package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CgroupPathTest {

    @Test
    void absolutePathNamesTheDirectoriesFromTheRoot() {
        CgroupPath path = CgroupPath.parse("/kubepods/burstable/pod1234/abcd");
        assertEquals(List.of("kubepods", "burstable", "pod1234", "abcd"), path.names());
        assertEquals(Path.of("/sys/fs/cgroup/memory/kubepods/burstable/pod1234/abcd"), path.under(Path.of("/sys/fs/cgroup/memory")));
    }

    @Test
    void relativeAndSlashyPathsAreTakenFromTheRootToo() {
        assertEquals(List.of("berth", "c1"), CgroupPath.parse("berth/c1").names());
        assertEquals(List.of("berth", "c1"), CgroupPath.parse("//berth//c1/").names());
        assertEquals("/berth/c1", CgroupPath.parse("berth/c1").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/berth/../etc", "..", "/berth/..", "/berth/./c1", "/a/b..c", "/berth/c\0"})
    void dotComponentsAreRefused(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CgroupPath.parse(value));
        assertTrue(e.getMessage().contains(".."), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/", "///"})
    void theRootOrNothingIsRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> CgroupPath.parse(value));
    }

    @Test
    void systemdSlicePathsAreRefusedWithWhatToGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CgroupPath.parse("kubepods-burstable.slice:cri-berth:abcd"));
        assertTrue(e.getMessage().contains("systemd"), e.getMessage());
    }
}
