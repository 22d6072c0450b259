package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.LinuxPodSandboxConfig;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.PodSandbox;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxFilter;
import dev.berth.cri.api.v1.PodSandboxState;
import dev.berth.cri.api.v1.PodSandboxStateValue;
import dev.berth.cri.api.v1.PodSandboxStatus;
import dev.berth.runtime.cgroup.MemoryLimitBelowUsageException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.sys.RecordingSyscalls;
import dev.berth.sandbox.spec.CgroupsPathStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandbox lifecycle against a fake runtime and network: what is made, recorded, undone. */
class SandboxServiceTest {
    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeCgroups cgroups = new FakeCgroups();
    private final FakeNetwork network = new FakeNetwork();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);
    private SandboxService service;

    @BeforeEach
    void open() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/hosts"), "127.0.0.1 node-host\n");
        Files.writeString(dir.resolve("etc/resolv.conf"), "nameserver 192.0.2.53\n");
        service = reopen();
    }

    private SandboxService reopen() {
        return reopen(CgroupsPathStyle.CGROUPFS);
    }

    private SandboxService reopen(CgroupsPathStyle style) {
        return SandboxService.open(new SandboxSettings(dir.resolve("root"), dir.resolve("state"), null, dir.resolve("etc"), style),
                runtime, cgroups, network, ContainerImages.NONE, new RecordingSyscalls(), new ContainerEvents(), clock,
                () -> String.format("%064x", ids.incrementAndGet()));
    }

    private Path sandboxDir(String id) {
        return dir.resolve("root/sandboxes").resolve(id);
    }

    private Path bundle(String id) {
        return dir.resolve("state/sandboxes").resolve(id);
    }

    @Test
    void runStartsAPauseContainerInThePodNetworkAndRecordsItReady() throws Exception {
        String id = service.run(Pods.config("web", 0), "");
        assertEquals(64, id.length());
        assertEquals("RUNNING", runtime.state(id).status().name());
        assertTrue(runtime.options.get(id).pause(), "pause mode");
        assertTrue(network.up.containsKey(id));
        assertEquals(List.of("10.96.0.10"), network.up.get(id).dns().servers());

        PodSandboxStatus status = service.status(id);
        assertEquals(PodSandboxState.SANDBOX_READY, status.getState());
        assertEquals("10.0.0.2", status.getNetwork().getIp());
        assertEquals("fd00:0:0:0:0:0:0:2", status.getNetwork().getAdditionalIps(0).getIp());
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456789Z").getEpochSecond() * 1_000_000_000L + 123456789, status.getCreatedAt());
        assertEquals("web", status.getMetadata().getName());
        assertEquals("uid-web", status.getMetadata().getUid());
        assertEquals("web", status.getLabelsMap().get("app"));
        assertEquals("hello", status.getAnnotationsMap().get("note"));
        assertEquals(NamespaceMode.POD, status.getLinux().getNamespaces().getOptions().getNetwork());

        Spec spec = runtime.specs.get(id);
        assertEquals("web", spec.hostname());
        assertTrue(spec.linux().namespaces().contains(new Spec.Namespace("network", "/run/netns-fake/" + id)));
        assertEquals(List.of("mount", "ipc", "pid", "uts"),
                spec.linux().namespaces().stream().map(Spec.Namespace::type).filter(t -> !t.equals("network")).toList());
        assertTrue(Files.isDirectory(bundle(id).resolve("rootfs/proc")));
        assertEquals("search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
                Files.readString(sandboxDir(id).resolve("resolv.conf")));
        assertEquals(EtcFiles.LOCAL_HOSTS, Files.readString(sandboxDir(id).resolve("hosts")));
        assertEquals("web\n", Files.readString(sandboxDir(id).resolve("hostname")));
    }

    @Test
    void aRetriedRunReturnsTheSandboxTheFirstOneMade() {
        String first = service.run(Pods.config("web", 0), "");
        String again = service.run(Pods.config("web", 0), "");
        assertEquals(first, again);
        assertEquals(1, service.list(null).size());
        assertEquals(1, runtime.calls.stream().filter(c -> c.startsWith("create")).count());
        String nextAttempt = service.run(Pods.config("web", 1), "");
        assertNotEquals(first, nextAttempt);
    }

    @Test
    void theNameIsFreeAgainAfterRemoveAndReservedAgainAfterRestart() {
        String first = service.run(Pods.config("web", 0), "");
        assertEquals(first, reopen().run(Pods.config("web", 0), ""), "a new daemon knows the name");
        service.remove(first);
        String second = service.run(Pods.config("web", 0), "");
        assertNotEquals(first, second);
    }

    @Test
    void stopKillsThePauseTearsDownTheNetworkAndIsIdempotent() {
        String id = service.run(Pods.config("web", 0), "");
        service.stop(id);
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, service.status(id).getState());
        assertEquals("STOPPED", runtime.state(id).status().name());
        assertTrue(runtime.calls.contains("kill " + id + " 9"));
        assertEquals(List.of(id), network.tornDown);
        service.stop(id);
        service.stop("feedbeef");
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, reopen().status(id).getState(), "NOTREADY is persisted");
    }

    @Test
    void removeDeletesEverythingAndIsIdempotent() {
        String id = service.run(Pods.config("web", 0), "");
        service.remove(id);
        assertFalse(runtime.containers.containsKey(id));
        assertFalse(network.up.containsKey(id));
        assertFalse(Files.exists(sandboxDir(id)));
        assertFalse(Files.exists(bundle(id)));
        SandboxException e = assertThrows(SandboxException.class, () -> service.status(id));
        assertEquals(SandboxException.Kind.NOT_FOUND, e.kind());
        service.remove(id);
        assertTrue(reopen().list(null).isEmpty());
    }

    @Test
    void aPauseThatDiedIsReportedNotReady() {
        String id = service.run(Pods.config("web", 0), "");
        runtime.die(id);
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, service.status(id).getState());
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, service.list(null).getFirst().getState());
    }

    @Test
    void unknownRuntimeHandlerIsAnInvalidArgumentNamingTheHandlers() {
        SandboxException e = assertThrows(SandboxException.class, () -> service.run(Pods.config("web", 0), "kata"));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("\"kata\"") && e.getMessage().contains("\"berth\""), e.getMessage());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void underSystemdThePauseIsABerthScopeInKubeletsPodSlice() {
        SandboxService systemd = reopen(CgroupsPathStyle.SYSTEMD);
        var config = Pods.config("web", 0).toBuilder()
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("kubepods-besteffort-pod1.slice")).build();

        String id = systemd.run(config, "");

        assertEquals("kubepods-besteffort-pod1.slice:berth:" + id, runtime.specs.get(id).linux().cgroupsPath());
    }

    @Test
    void underSystemdAPodWithoutParentGoesInBerthsSliceWithNoCgroupOfItsOwn() {
        SandboxService systemd = reopen(CgroupsPathStyle.SYSTEMD);

        String id = systemd.run(Pods.config("web", 0), "");

        assertEquals("berth.slice:berth:" + id, runtime.specs.get(id).linux().cgroupsPath());
        assertTrue(cgroups.cgroups.isEmpty(), "no pod cgroup made: " + cgroups.calls);
    }

    @Test
    void underSystemdACgroupfsParentIsRefusedBeforeAnythingIsMade() {
        SandboxService systemd = reopen(CgroupsPathStyle.SYSTEMD);
        var config = Pods.config("web", 0).toBuilder()
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/besteffort/pod1")).build();

        SandboxException e = assertThrows(SandboxException.class, () -> systemd.run(config, ""));

        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("cgroup_parent \"/kubepods/besteffort/pod1\" is not a systemd slice"), e.getMessage());
        assertTrue(runtime.calls.isEmpty());
        assertTrue(network.up.isEmpty());
    }

    @Test
    void metadataWithoutUidIsRefused() {
        var config = Pods.config("web", 0).toBuilder().setMetadata(Pods.config("web", 0).getMetadata().toBuilder().setUid("")).build();
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT,
                assertThrows(SandboxException.class, () -> service.run(config, "")).kind());
    }

    @Test
    void aFailingStartRollsBackContainerNetworkDirectoriesAndName() {
        runtime.failStart = FakeRuntime.failure("exec failed");
        String expectedId = String.format("%064x", 1);
        assertThrows(RuntimeException.class, () -> service.run(Pods.config("web", 0), ""));
        assertFalse(runtime.containers.containsKey(expectedId), "runtime container deleted");
        assertEquals(List.of(expectedId), network.tornDown, "network torn down");
        assertFalse(Files.exists(sandboxDir(expectedId)));
        assertFalse(Files.exists(bundle(expectedId)));
        assertTrue(service.list(null).isEmpty());
        runtime.failStart = null;
        assertNotEquals(expectedId, service.run(Pods.config("web", 0), ""), "the name is free again");
    }

    @Test
    void aFailingNetworkRollsBackAndSaysWhichPlugin() throws Exception {
        network.fail = true;
        SandboxException e = assertThrows(SandboxException.class, () -> service.run(Pods.config("web", 0), ""));
        assertEquals(SandboxException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("default/web") && e.getMessage().contains("bridge"), e.getMessage());
        assertTrue(runtime.calls.isEmpty());
        try (var entries = Files.list(dir.resolve("root/sandboxes"))) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void hostNetworkPodsSkipCniAndKeepTheNodesUtsAndHosts() throws Exception {
        String id = service.run(Pods.withNamespaces(Pods.config("h", 0), NamespaceMode.NODE, NamespaceMode.NODE, NamespaceMode.POD), "");
        assertTrue(network.up.isEmpty());
        Spec spec = runtime.specs.get(id);
        assertEquals(List.of("mount", "ipc"), spec.linux().namespaces().stream().map(Spec.Namespace::type).toList());
        assertNull(spec.hostname());
        assertEquals("127.0.0.1 node-host\n", Files.readString(sandboxDir(id).resolve("hosts")));
        PodSandboxStatus status = service.status(id);
        assertEquals("", status.getNetwork().getIp());
        assertEquals(NamespaceMode.NODE, status.getLinux().getNamespaces().getOptions().getNetwork());
        service.stop(id);
        assertTrue(network.tornDown.isEmpty());
    }

    @Test
    void listFiltersByIdPrefixStateAndLabels() {
        String a = service.run(Pods.config("a", 0), "");
        String b = service.run(Pods.config("b", 0), "");
        service.stop(b);
        assertEquals(List.of(a, b), ids(service.list(PodSandboxFilter.getDefaultInstance())));
        assertEquals(List.of(b), ids(service.list(PodSandboxFilter.newBuilder().setId(b).build())));
        assertEquals(List.of(a, b), ids(service.list(PodSandboxFilter.newBuilder().setId(a.substring(0, 63)).build())), "a prefix");
        assertEquals(List.of(a), ids(service.list(PodSandboxFilter.newBuilder()
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY)).build())));
        assertEquals(List.of(b), ids(service.list(PodSandboxFilter.newBuilder().putLabelSelector("app", "b").build())));
        assertEquals(List.of(), ids(service.list(PodSandboxFilter.newBuilder().putLabelSelector("app", "b")
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY)).build())));
    }

    @Test
    void statusStopAndRemoveTakeAUniqueIdPrefix() {
        String id = service.run(Pods.config("web", 0), "");
        assertEquals(id, service.status(id.substring(0, 60)).getId());
        service.run(Pods.config("other", 0), "");
        SandboxException e = assertThrows(SandboxException.class, () -> service.status("0000"));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
    }

    @Test
    void openRemovesWhatAnUnfinishedRunLeftBehind() throws Exception {
        String orphan = "ab".repeat(32);
        Files.createDirectories(sandboxDir(orphan));
        Files.writeString(sandboxDir(orphan).resolve("hosts"), "x");
        Files.createDirectories(bundle(orphan).resolve("rootfs"));
        reopen();
        assertFalse(Files.exists(sandboxDir(orphan)));
        assertFalse(Files.exists(bundle(orphan)));
        assertTrue(network.tornDown.contains(orphan));
        assertTrue(runtime.calls.contains("delete " + orphan));
        assertTrue(cgroups.calls.contains("destroy /berth/" + orphan), "its own pod cgroup, if made: " + cgroups.calls);
    }

    private static final long MIB = 1 << 20;

    private static PodSandboxConfig withLimits(PodSandboxConfig config, String cgroupParent, LinuxContainerResources resources,
            LinuxContainerResources overhead) {
        LinuxPodSandboxConfig.Builder linux = config.getLinux().toBuilder().setCgroupParent(cgroupParent);
        if (resources != null) {
            linux.setResources(resources);
        }
        if (overhead != null) {
            linux.setOverhead(overhead);
        }
        return config.toBuilder().setLinux(linux).build();
    }

    private static LinuxContainerResources memoryAndCpu(long memory, long quota) {
        return LinuxContainerResources.newBuilder().setMemoryLimitInBytes(memory).setCpuQuota(quota).setCpuPeriod(100_000)
                .setCpuShares(512).build();
    }

    @Test
    void aPodWithoutCgroupParentGetsBerthsOwnCgroupWithResourcesPlusOverheadRemovedWithIt() {
        String id = service.run(withLimits(Pods.config("web", 0), "", memoryAndCpu(64 * MIB, 50_000), memoryAndCpu(16 * MIB, 10_000)), "");

        assertEquals(List.of("create /berth/" + id), cgroups.calls);
        Spec.Resources limits = cgroups.cgroups.get("/berth/" + id);
        assertEquals(80 * MIB, limits.memory().limit(), "64 MiB of containers plus 16 MiB overhead");
        assertEquals(60_000L, limits.cpu().quota());
        assertEquals(1024L, limits.cpu().shares());
        assertEquals("/berth/" + id + "/" + id, runtime.specs.get(id).linux().cgroupsPath(), "the pause inside it");

        service.remove(id);
        assertEquals(List.of("create /berth/" + id, "destroy /berth/" + id), cgroups.calls);
        assertTrue(runtime.calls.indexOf("delete " + id) >= 0, "the pause went first");
    }

    @Test
    void aPodUnderKubeletsParentLeavesThatCgroupToKubelet() {
        String id = service.run(withLimits(Pods.config("web", 0), "/kubepods/burstable/pod1", memoryAndCpu(64 * MIB, 50_000), null), "");
        assertEquals("/kubepods/burstable/pod1/" + id, runtime.specs.get(id).linux().cgroupsPath());
        service.updateResources(id, null, memoryAndCpu(128 * MIB, 100_000));
        service.remove(id);
        assertEquals(List.of(), cgroups.calls, "kubelet made it, sizes it and removes it");
    }

    @Test
    void limitsThePodCgroupCannotTakeAreRefusedAndTheRunRolledBack() {
        cgroups.failNext = new IllegalArgumentException("cannot apply unified (cgroup v2) settings; memory.high: this host has no"
                + " cgroup v2 hierarchy (cgroup v1)");
        String expectedId = String.format("%064x", 1);
        LinuxContainerResources unified = LinuxContainerResources.newBuilder().putUnified("memory.high", "1000000").build();
        SandboxException e = assertThrows(SandboxException.class, () -> service.run(withLimits(Pods.config("web", 0), "", unified, null), ""));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("cgroup /berth/" + expectedId) && e.getMessage().contains("memory.high"), e.getMessage());
        assertFalse(cgroups.cgroups.containsKey("/berth/" + expectedId), "destroyed: " + cgroups.calls);
        assertFalse(runtime.containers.containsKey(expectedId));
        assertEquals(List.of(expectedId), network.tornDown);
    }

    @Test
    void badPodResourcesAreAnInvalidArgumentNamingTheField() {
        SandboxException e = assertThrows(SandboxException.class, () -> service.run(withLimits(Pods.config("web", 0), "",
                null, LinuxContainerResources.newBuilder().setCpuQuota(-5).build()), ""));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals("pod default/web: linux.overhead.cpu_quota is -5; use a positive value, -1 for unlimited or 0 for unset",
                e.getMessage());
        assertTrue(runtime.calls.isEmpty() && cgroups.calls.isEmpty());
    }

    @Test
    void updateResourcesChangesBerthsPodCgroupKeepsWhatIsLeftOutAndLiftsWhatIsNoLongerGiven() {
        String id = service.run(withLimits(Pods.config("web", 0), "", memoryAndCpu(64 * MIB, 50_000), memoryAndCpu(16 * MIB, 10_000)), "");

        service.updateResources(id.substring(0, 12), null, memoryAndCpu(128 * MIB, 100_000));
        Spec.Resources limits = cgroups.cgroups.get("/berth/" + id);
        assertEquals(144 * MIB, limits.memory().limit(), "the overhead was kept");
        assertEquals(110_000L, limits.cpu().quota());

        service.updateResources(id, null, LinuxContainerResources.newBuilder().setCpuShares(256).build());
        limits = cgroups.cgroups.get("/berth/" + id);
        assertEquals(-1L, limits.memory().limit(), "no memory limit any more");
        assertEquals(-1L, limits.cpu().quota());
        assertEquals(768L, limits.cpu().shares());
        assertTrue(service.verboseInfo(id).get("info").contains("\"shares\":256"), "recorded: " + service.verboseInfo(id));
        assertTrue(reopen().verboseInfo(id).get("info").contains("\"shares\":256"), "and persisted");
    }

    @Test
    void updateResourcesRefusesWhatItCannotDoWithoutChangingTheRecord() {
        String id = service.run(withLimits(Pods.config("web", 0), "", memoryAndCpu(64 * MIB, 50_000), null), "");

        assertEquals(SandboxException.Kind.NOT_FOUND,
                assertThrows(SandboxException.class, () -> service.updateResources("ff".repeat(32), null, memoryAndCpu(1, 1))).kind());
        SandboxException bad = assertThrows(SandboxException.class,
                () -> service.updateResources(id, null, LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-2).build()));
        assertEquals(SandboxException.Kind.INVALID_ARGUMENT, bad.kind());
        assertTrue(bad.getMessage().contains("resources.memory_limit_in_bytes is -2"), bad.getMessage());

        cgroups.failNext = new MemoryLimitBelowUsageException(Path.of("/sys/fs/cgroup/memory/berth", id), "memory.limit_in_bytes",
                MIB, 40 * MIB, 50 * MIB);
        SandboxException busy = assertThrows(SandboxException.class, () -> service.updateResources(id, null, memoryAndCpu(MIB, 50_000)));
        assertEquals(SandboxException.Kind.FAILED_PRECONDITION, busy.kind());
        assertTrue(busy.getMessage().contains("the cgroup uses 41943040 bytes now (peak 52428800)"), busy.getMessage());
        assertTrue(service.verboseInfo(id).get("info").contains("\"limit\":" + 64 * MIB), "the record is as before");

        service.stop(id);
        assertEquals(SandboxException.Kind.FAILED_PRECONDITION,
                assertThrows(SandboxException.class, () -> service.updateResources(id, null, memoryAndCpu(128 * MIB, 0))).kind());
    }

    private static List<String> ids(List<PodSandbox> sandboxes) {
        return sandboxes.stream().map(PodSandbox::getId).toList();
    }
}
