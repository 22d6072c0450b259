package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.cgroup.CgroupLayout;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rest of the OCI config, each observed from inside the container. */
@Tag("root")
class ConfigFeaturesRootTest {
    @TempDir
    Path dir;

    private ShimRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        runtime = ShimRuntime.open(dir.resolve("state"), new ManagedCgroups(CgroupsFactory.detect()), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
        }
    }

    /** Runs a script with an edited config; returns its log lines. */
    private List<String> run(String id, String script, UnaryOperator<Spec> edit) throws Exception {
        Path bundle = TestBundles.bundle(dir, id, List.of("sh", "-c", script));
        SpecFiles.write(bundle, edit.apply(SpecFiles.read(bundle)));
        runtime.create(id, bundle, new CreateOptions(dir.resolve(id + ".log"), false));
        runtime.start(id);
        runtime.exit(id).get(30, TimeUnit.SECONDS);
        return Files.readAllLines(dir.resolve(id + ".log")).stream().map(l -> l.split(" ", 4)[3]).toList();
    }

    private static Spec withLinux(Spec s, UnaryOperator<Spec.Linux> edit) {
        return new Spec(s.ociVersion(), s.process(), s.root(), s.hostname(), s.domainname(), s.mounts(), s.annotations(),
                edit.apply(s.linux()));
    }

    private static Spec withProcess(Spec s, Spec.Process p) {
        return new Spec(s.ociVersion(), p, s.root(), s.hostname(), s.domainname(), s.mounts(), s.annotations(), s.linux());
    }

    @Test
    void sysctlsApplyInsideTheContainersNamespacesEvenWithProcSysReadonly() throws Exception {
        List<String> out = run("sysctl", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced", s -> withLinux(s, l ->
                new Spec.Linux(l.namespaces(), null, null, null, l.cgroupsPath(), null, null, null,
                        Map.of("net.ipv4.ip_forward", "1", "kernel.shm_rmid_forced", "1"), l.maskedPaths(), l.readonlyPaths(), null)));
        assertEquals(List.of("1", "1"), out);
    }

    @Test
    void readonlyRootfsRefusesWritesButTmpfsMountsStayWritable() throws Exception {
        List<String> out = run("rorootfs", "touch /newfile 2>/dev/null || echo ROOT-RO; touch /dev/shm/x && echo SHM-RW",
                s -> new Spec(s.ociVersion(), s.process(), new Spec.Root(s.root().path(), true), s.hostname(), null, s.mounts(), null,
                        s.linux()));
        assertEquals(List.of("ROOT-RO", "SHM-RW"), out);
    }

    @Test
    void umaskAndDomainnameApplyInsideTheContainer() throws Exception {
        List<String> out = run("proc", "umask; cat /proc/sys/kernel/domainname", s -> {
            Spec.Process p = s.process();
            Spec.Process q = new Spec.Process(false, new Spec.User(0L, 0L, 027, null), p.args(), p.env(), "/", p.capabilities(),
                    p.rlimits(), p.noNewPrivileges(), null, null, null);
            return new Spec(s.ociVersion(), q, s.root(), s.hostname(), "berth.example", s.mounts(), null, s.linux());
        });
        assertEquals(List.of("0027", "berth.example"), out);
    }

    /** The init's oom_score_adj once it runs {@code sleep}, and its shim's, as the host sees them. */
    private int[] oomScoreAdjOfInitAndShim(String id, int wanted) throws Exception {
        Path bundle = TestBundles.bundle(dir, id, List.of("sleep", "1000"));
        Spec s = SpecFiles.read(bundle);
        Spec.Process p = s.process();
        SpecFiles.write(bundle, withProcess(s, new Spec.Process(false, p.user(), p.args(), p.env(), "/", p.capabilities(), p.rlimits(),
                p.noNewPrivileges(), wanted, null, null)));
        runtime.create(id, bundle, CreateOptions.defaults());
        runtime.start(id);
        long init = runtime.state(id).pid();
        String status = Files.readString(Path.of("/proc/" + init + "/status"));
        String shim = status.lines().filter(l -> l.startsWith("PPid:")).findFirst().orElseThrow().split("\\s+")[1];
        return new int[] {Integer.parseInt(Files.readString(Path.of("/proc/" + init + "/oom_score_adj")).strip()),
                Integer.parseInt(Files.readString(Path.of("/proc/" + shim + "/oom_score_adj")).strip())};
    }

    @Test
    void anOomScoreAdjBelowTheShimsNeedsCapSysResourceElseTheContainerKeepsTheShims() throws Exception {
        String capEff = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapEff:")).findFirst()
                .orElseThrow().split("\\s+")[1];
        boolean sysResource = (Long.parseUnsignedLong(capEff, 16) & (1L << 24)) != 0; // CAP_SYS_RESOURCE
        int[] adj = oomScoreAdjOfInitAndShim("low", -998);
        // Without CAP_SYS_RESOURCE the kernel refuses -998 (EACCES: below what a privileged ancestor set):
        // create still succeeds, as with containerd's restrict_oom_score_adj, and the init keeps the shim's value.
        assertEquals(sysResource ? -998 : adj[1], adj[0], "the shim's is " + adj[1]);
    }

    @Test
    void aHigherOomScoreAdjIsApplied() throws Exception {
        assertEquals(1000, oomScoreAdjOfInitAndShim("high", 1000)[0]);
    }

    @Test
    void userNamespaceMapsRootToAnUnprivilegedHostUid() throws Exception {
        // The mapped root is host uid 100000: it must be able to reach the rootfs, as with runc.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> out = run("userns", "id -u; cat /proc/self/uid_map", s -> withLinux(s, l -> {
            List<Spec.Namespace> ns = new ArrayList<>(l.namespaces());
            ns.add(new Spec.Namespace("user", null));
            return new Spec.Linux(ns, List.of(new Spec.IdMapping(0, 100000, 65536)), List.of(new Spec.IdMapping(0, 100000, 65536)),
                    null, l.cgroupsPath(), null, null, null, null, null, null, null);
        }));
        assertEquals("0", out.get(0));
        assertEquals(List.of("0", "100000", "65536"), List.of(out.get(1).trim().split("\\s+")));
    }

    @Test
    void theShimRunsFromASealedMemfdNotTheFileOnDisk() throws Exception {
        Path bundle = TestBundles.bundle(dir, "sealed", List.of("sleep", "1000"));
        runtime.create("sealed", bundle, CreateOptions.defaults());
        long init = runtime.state("sealed").pid();
        String status = Files.readString(Path.of("/proc/" + init + "/status"));
        long monitor = Long.parseLong(status.lines().filter(l -> l.startsWith("PPid:")).findFirst().orElseThrow().split("\\s+")[1]);
        String exe = Files.readSymbolicLink(Path.of("/proc/" + monitor + "/exe")).toString();
        assertTrue(exe.startsWith("/memfd:berth-shim"), "the shim's executable is " + exe);
    }

    @Test
    void updateChangesTheLimitsOfARunningContainer() throws Exception {
        Path bundle = TestBundles.bundle(dir, "upd", List.of("sleep", "1000"));
        Spec s = SpecFiles.read(bundle);
        String cgroup = "/berth-test-" + UUID.randomUUID().toString().substring(0, 8) + "/upd";
        SpecFiles.write(bundle, withLinux(s, l -> new Spec.Linux(l.namespaces(), null, null, null, cgroup,
                new Spec.Resources(new Spec.Memory(64L << 20, null, null, null, null), null, null, null, null), null, null, null,
                l.maskedPaths(), l.readonlyPaths(), null)));
        runtime.create("upd", bundle, CreateOptions.defaults());
        runtime.start("upd");
        runtime.update("upd", new Spec.Resources(new Spec.Memory(128L << 20, null, null, null, null), null, null, null, null));
        CgroupLayout layout = CgroupsFactory.detect().layout();
        Path file = runtime.cgroupPaths("upd").stream()
                .filter(p -> layout.mode() == CgroupLayout.Mode.UNIFIED || p.startsWith(layout.v1Controllers().get("memory")))
                .findFirst().orElseThrow()
                .resolve(layout.mode() == CgroupLayout.Mode.UNIFIED ? "memory.max" : "memory.limit_in_bytes");
        assertEquals(Long.toString(128L << 20), Files.readString(file).strip());
        runtime.delete("upd", true);
        CgroupsFactory.detect().destroy(cgroup.substring(0, cgroup.lastIndexOf('/')));
    }
}
