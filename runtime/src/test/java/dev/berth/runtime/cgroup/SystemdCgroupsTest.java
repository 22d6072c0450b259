package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd driver over a fake cgroup tree and a recording systemd: which calls, in which order, and what lands in the files. */
class SystemdCgroupsTest {
    private static final long MIB = 1024 * 1024;
    private static final String CONTAINER = "kubepods-burstable-pod1.slice:berth:c1";
    private static final String SCOPE_DIR = "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/berth-c1.scope";

    @TempDir
    Path root;

    private final RecordingSystemd systemd = new RecordingSystemd();

    private SystemdCgroups unified() {
        return FakeHost.unified(root, "cpuset cpu io memory hugetlb pids").systemd(systemd);
    }

    private String read(String relative) {
        try {
            Path file = root.resolve(relative);
            return Files.exists(file) ? Files.readString(file).strip() : "<missing>";
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void createMakesTheScopesDirectoryUnderTheExpandedSliceAndWritesTheLimitsButStartsNoUnitYet() {
        List<Path> dirs = unified().create(CONTAINER, Limit.of().memory(64 * MIB).build());

        assertEquals(List.of(root.resolve(SCOPE_DIR)), dirs);
        assertEquals("67108864", read(SCOPE_DIR + "/memory.max"));
        assertEquals(List.of(), systemd.calls, "systemd makes no scope without a process");
    }

    @Test
    void adoptStartsTheScopeWithTheInitsPidAndTheLimitsAsProperties() {
        SystemdCgroups cgroups = unified();
        CgroupResources limits = Limit.of().memory(64 * MIB).shares(1024).quota(50_000).period(100_000).pids(100).build();
        cgroups.create(CONTAINER, limits);

        cgroups.adopt(CONTAINER, 4242, limits);

        assertEquals(List.of("StartTransientUnit berth-c1.scope"), systemd.methods());
        List<UnitProperty> expected = new ArrayList<>(SystemdProperties.scope(SystemdUnit.parse(CONTAINER), 4242, true));
        expected.addAll(List.of(UnitProperty.uint64("MemoryMax", 64 * MIB), UnitProperty.uint64("CPUWeight", 39),
                UnitProperty.uint64("CPUQuotaPeriodUSec", 100_000), UnitProperty.uint64("CPUQuotaPerSecUSec", 500_000),
                UnitProperty.uint64("TasksMax", 100)));
        assertEquals(expected, systemd.calls.get(0).properties());
        assertEquals(UnitProperty.string("Slice", "kubepods-burstable-pod1.slice"), expected.get(1));
    }

    @Test
    void afterSystemdTheFilesGetTheExactValuesAndWhatSystemdCannotExpress() {
        SystemdCgroups cgroups = unified();
        CgroupResources limits = Limit.of().quota(12_345).period(100_000).hugepages("2MB", 4 * MIB).build();
        cgroups.create(CONTAINER, limits);
        // systemd keeps whole percents: it writes 13 ms per 100 ms when it starts the unit
        Path cpuMax = root.resolve(SCOPE_DIR + "/cpu.max");
        systemd.onStart = () -> writeString(cpuMax, "13000 100000");
        cgroups.adopt(CONTAINER, 4242, limits);

        assertTrue(systemd.calls.get(0).properties().contains(UnitProperty.uint64("CPUQuotaPerSecUSec", 130_000)));
        assertEquals("12345 100000", read(SCOPE_DIR + "/cpu.max"), cpuMax + " holds the quota asked for");
        assertEquals("4194304", read(SCOPE_DIR + "/hugetlb.2MB.max"));
    }

    private static void writeString(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aLeftoverFailedUnitOfTheSameNameIsResetAndTheStartTriedOnce() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());
        systemd.failed.add("berth-c1.scope");

        cgroups.adopt(CONTAINER, 7, CgroupResources.none());

        assertEquals(List.of("StartTransientUnit berth-c1.scope", "ResetFailedUnit berth-c1.scope", "StartTransientUnit berth-c1.scope"),
                systemd.methods());
        assertTrue(systemd.units.containsKey("berth-c1.scope"));
    }

    @Test
    void aStartJobThatFailsFailsAdopt() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());
        systemd.nextStartResult = "failed";

        SystemdException e = assertThrows(SystemdException.class, () -> cgroups.adopt(CONTAINER, 7, CgroupResources.none()));
        assertTrue(e.getMessage().contains("ended with result \"failed\""), e.getMessage());
    }

    @Test
    void adoptWithoutAProcessIsRefused() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());

        assertThrows(IllegalArgumentException.class, () -> cgroups.adopt(CONTAINER, 0, CgroupResources.none()));
        assertEquals(List.of(), systemd.calls);
    }

    @Test
    void updateSetsTheUnitsPropertiesThenTheFiles() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());
        cgroups.adopt(CONTAINER, 7, CgroupResources.none());

        cgroups.update(CONTAINER, Limit.of().memory(32 * MIB).build());

        assertEquals(new RecordingSystemd.Call("SetUnitProperties", "berth-c1.scope", List.of(UnitProperty.uint64("MemoryMax", 32 * MIB))),
                systemd.calls.get(1));
        assertEquals("33554432", read(SCOPE_DIR + "/memory.max"));
    }

    @Test
    void updateOfAGoneCgroupFailsNamingItBeforeSystemdIsAsked() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> unified().update(CONTAINER, Limit.of().memory(32 * MIB).build()));

        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(List.of(), systemd.calls);
    }

    @Test
    void limitsTheHostCannotApplyAreRefusedBeforeAnythingIsMadeOrAsked() {
        SystemdCgroups cgroups = unified();

        assertThrows(IllegalArgumentException.class, () -> cgroups.create(CONTAINER, Limit.of().unified("rdma.max", "x").build()));
        assertThrows(IllegalArgumentException.class, () -> cgroups.create(CONTAINER, Limit.of().cpus("3-1").build()));

        assertFalse(Files.exists(root.resolve("kubepods.slice")));
        assertEquals(List.of(), systemd.calls);
    }

    @Test
    void destroyStopsTheScopeLetsSystemdForgetItAndRemovesTheDirectories() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());
        cgroups.adopt(CONTAINER, 7, CgroupResources.none());

        cgroups.destroy(CONTAINER);

        assertEquals(List.of("StartTransientUnit berth-c1.scope", "StopUnit berth-c1.scope", "ResetFailedUnit berth-c1.scope"),
                systemd.methods());
        assertFalse(Files.exists(root.resolve(SCOPE_DIR)));
        assertTrue(Files.isDirectory(root.resolve(SCOPE_DIR).getParent()), "the pod's slice stays");
    }

    @Test
    void destroyOfAScopeSystemdNeverStartedStillRemovesTheDirectories() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());

        cgroups.destroy(CONTAINER);
        cgroups.destroy(CONTAINER);

        assertFalse(Files.exists(root.resolve(SCOPE_DIR)));
    }

    @Test
    void aSliceIsStartedAtCreateWantedByItsParentWithItsLimits() {
        SystemdCgroups cgroups = unified();
        String pod = "kubepods-burstable.slice:berth:kubepods-burstable-pod1.slice";

        List<Path> dirs = cgroups.create(pod, Limit.of().pids(1000).build());
        cgroups.adopt(pod, 7, Limit.of().pids(1000).build());

        assertEquals(List.of(root.resolve("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice")), dirs);
        assertEquals(List.of("StartTransientUnit kubepods-burstable-pod1.slice"), systemd.methods(), "adopt has nothing to do for a slice");
        List<UnitProperty> props = systemd.calls.get(0).properties();
        assertTrue(props.contains(UnitProperty.strings("Wants", List.of("kubepods-burstable.slice"))), props.toString());
        assertTrue(props.contains(UnitProperty.uint64("TasksMax", 1000)), props.toString());
        assertEquals("1000", read("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/pids.max"));
    }

    @Test
    void aSliceThatExistsGetsItsLimitsSet() {
        SystemdCgroups cgroups = unified();
        systemd.units.put("kubepods-burstable-pod1.slice", List.of());

        cgroups.create("kubepods-burstable.slice:berth:kubepods-burstable-pod1.slice", Limit.of().memory(MIB).build());

        assertEquals(List.of("StartTransientUnit kubepods-burstable-pod1.slice", "SetUnitProperties kubepods-burstable-pod1.slice"),
                systemd.methods());
        assertEquals(List.of(UnitProperty.uint64("MemoryMax", MIB)), systemd.units.get("kubepods-burstable-pod1.slice"));
    }

    @Test
    void onAHybridHostTheScopeSpansEveryHierarchyAndGetsV1PropertyNames() {
        SystemdCgroups cgroups = FakeHost.hybrid(root).systemd(systemd);
        CgroupResources limits = Limit.of().memory(64 * MIB).shares(512).build();

        List<Path> dirs = cgroups.create(CONTAINER, limits);
        cgroups.adopt(CONTAINER, 7, limits);

        assertEquals(9, dirs.size());
        assertTrue(dirs.contains(root.resolve("memory/" + SCOPE_DIR)));
        assertFalse(Files.exists(root.resolve("systemd/kubepods.slice")), "systemd moves the pid into its own tree itself");
        assertEquals("67108864", read("memory/" + SCOPE_DIR + "/memory.limit_in_bytes"));
        List<UnitProperty> props = systemd.calls.get(0).properties();
        assertTrue(props.contains(UnitProperty.uint64("MemoryLimit", 64 * MIB)), props.toString());
        assertTrue(props.contains(UnitProperty.uint64("CPUShares", 512)), props.toString());
    }

    @Test
    void pathsAndUsageReadTheScopesDirectories() {
        SystemdCgroups cgroups = unified();
        cgroups.create(CONTAINER, CgroupResources.none());

        assertEquals(List.of(root.resolve(SCOPE_DIR)), cgroups.paths(CONTAINER));
        assertEquals(0, cgroups.usage(CONTAINER).processes());
    }

    @Test
    void aCgroupfsPathIsRefusedNamingTheFormTheDriverTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unified().create("/kubepods/burstable/pod1/c1", CgroupResources.none()));
        assertTrue(e.getMessage().contains("slice:prefix:name"), e.getMessage());
    }

    @Test
    void containersMadeUnderTheCgroupfsDriverCanStillBeReadAndRemoved() {
        FakeHost host = FakeHost.unified(root, "cpu memory pids");
        host.cgroups().create("/berth/old", CgroupResources.none());
        SystemdCgroups cgroups = host.systemd(systemd);

        assertEquals(List.of(root.resolve("berth/old")), cgroups.paths("/berth/old"));
        assertEquals(0, cgroups.usage("/berth/old").processes());
        cgroups.destroy("/berth/old");

        assertFalse(Files.exists(root.resolve("berth/old")));
        assertEquals(List.of(), systemd.calls, "systemd never knew it");
    }

    @Test
    void closeClosesTheConnectionToSystemd() {
        unified().close();
        assertTrue(systemd.closed);
    }
}
