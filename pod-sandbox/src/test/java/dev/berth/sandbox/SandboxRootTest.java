package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cni.CniConfig;
import dev.berth.cni.PodNetworks;
import dev.berth.cri.api.v1.LinuxPodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxState;
import dev.berth.cri.api.v1.PodSandboxStatus;
import dev.berth.runtime.cgroup.Cgroups;
import dev.berth.runtime.cgroup.CgroupsFactory;
import dev.berth.runtime.shim.ManagedCgroups;
import dev.berth.runtime.shim.ShimRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sandboxes: the shim's pause process in its own namespaces and cgroup, on a real bridge
 * network made by Debian's CNI plugins. Each test uses its own bridge name, /24, IPAM dir and
 * cgroup parent, and removes the bridge, the cgroups and the ip_forward change afterwards
 * (the conflist has no ipMasq and no portmap, so no iptables rules are made).
 */
@Tag("root")
class SandboxRootTest {
    private static final Path PLUGINS = Path.of("/usr/lib/cni");

    @TempDir
    Path dir;

    private final String suffix = HexFormat.of().formatHex(randomBytes());
    private final String bridge = "bs" + suffix;
    private final String subnetPrefix = "10.86." + (Integer.parseInt(suffix.substring(0, 2), 16)) + ".";
    private final String cgroupParent = "/berth-test-" + suffix;
    private String ipForwardBefore;
    private Cgroups cgroups;
    private Path runtimeRoot;
    private ManagedCgroups placement;
    private ShimRuntime runtime;
    private SandboxService service;

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root: creates network namespaces, bridges, cgroups and containers");
        Assumptions.assumeTrue(Files.isExecutable(PLUGINS.resolve("bridge")), "needs Debian containernetworking-plugins in " + PLUGINS);
        ipForwardBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        cgroups = CgroupsFactory.detect();
        // a short root: the shim's control socket <root>/<64-hex id>/shim.sock must fit in sun_path (108 bytes)
        runtimeRoot = Files.createTempDirectory(Path.of("/tmp"), "bs");
        placement = new ManagedCgroups(cgroups);
        runtime = ShimRuntime.open(runtimeRoot, placement, Clock.systemUTC());
        writeConflist(dir.resolve("net.d"), "bridge");
        service = open(dir.resolve("net.d"));
    }

    private SandboxService open(Path confDir) {
        return open(confDir, List.of(PLUGINS));
    }

    private SandboxService open(Path confDir, List<Path> binDirs) {
        CniConfig cni = new CniConfig(List.of(confDir), binDirs, dir.resolve("state/netns"), dir.resolve("root/cni"),
                Duration.ofSeconds(30), null, null, false, null);
        return SandboxService.open(SandboxSettings.defaults(dir.resolve("root"), dir.resolve("state")), runtime, placement,
                PodNetworks.create(cni), Clock.systemUTC());
    }

    private void writeConflist(Path confDir, String secondPlugin) throws IOException {
        Files.createDirectories(confDir);
        String second = secondPlugin.equals("bridge") ? "" : ",{\"type\":\"" + secondPlugin + "\"}";
        Files.writeString(confDir.resolve("10-test.conflist"), """
                {"cniVersion":"1.0.0","name":"%s","plugins":[
                  {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,
                   "ipam":{"type":"host-local","ranges":[[{"subnet":"%s0/24"}]],"dataDir":"%s"}}%s
                ]}
                """.formatted(bridge, bridge, subnetPrefix, dir.resolve("ipam"), second));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null) {
            service.list(null).forEach(s -> service.remove(s.getId()));
        }
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
            cgroups.destroy(cgroupParent);
            run("ip", "link", "del", bridge);
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForwardBefore);
            FileTrees.deleteTree(runtimeRoot);
        }
    }

    private PodSandboxConfig config(String name) {
        return Pods.config(name, 0).toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent)).build();
    }

    @Test
    void runStatusStopRemoveWithARealPauseProcessAndNetwork() throws Exception {
        String id = service.run(config("web"), "");
        PodSandboxStatus status = service.status(id);
        assertEquals(PodSandboxState.SANDBOX_READY, status.getState());
        assertTrue(status.getNetwork().getIp().startsWith(subnetPrefix), status.getNetwork().toString());

        long pid = runtime.state(id).pid();
        Path netns = Path.of(netnsPin(id));
        assertEquals(Files.getAttribute(netns, "unix:ino"), Files.getAttribute(Path.of("/proc/" + pid + "/ns/net"), "unix:ino"),
                "the pause process is in the pinned pod netns");
        for (String ns : List.of("pid", "ipc", "uts", "mnt")) {
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)), ns + " namespace is the pod's own");
        }
        assertEquals("web", run("nsenter", "-u", "-t", Long.toString(pid), "hostname").strip());
        assertEquals("1", Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow().split("\\s+")[2], "pid 1 in its own pid namespace");
        assertTrue(cgroups.paths(cgroupParent + "/" + id).stream()
                .allMatch(d -> readLines(d.resolve("cgroup.procs")).contains(Long.toString(pid))), "pause is in its cgroup");

        service.stop(id);
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, service.status(id).getState());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "the pause process is gone");
        assertFalse(Files.exists(netns), "netns pin removed");
        assertEquals(List.of(), ipamAllocations());
        service.stop(id);

        service.remove(id);
        assertEquals(SandboxException.Kind.NOT_FOUND, assertThrows(SandboxException.class, () -> service.status(id)).kind());
        assertEquals(List.of(), runtime.list());
        assertFalse(Files.exists(dir.resolve("root/sandboxes").resolve(id)));
        service.remove(id);
    }

    @Test
    void aRetriedRunReturnsTheSameSandbox() {
        String id = service.run(config("retry"), "");
        assertEquals(id, service.run(config("retry"), ""));
        assertEquals(1, runtime.list().size());
    }

    @Test
    void aPluginFailingAfterTheBridgeLeavesNothingBehind() throws Exception {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path plugin = bin.resolve("fail-add");
        Files.writeString(plugin, """
                #!/bin/sh
                case "$CNI_COMMAND" in
                  ADD) echo '{"cniVersion":"1.0.0","code":100,"msg":"fail-add refuses every pod"}'; exit 1 ;;
                  VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}' ;;
                esac
                exit 0
                """);
        plugin.toFile().setExecutable(true);
        Path failing = dir.resolve("net-failing.d");
        writeConflist(failing, "fail-add");
        SandboxService failingService = open(failing, List.of(bin, PLUGINS));
        SandboxException e = assertThrows(SandboxException.class, () -> failingService.run(config("broken"), ""));
        assertTrue(e.getMessage().contains("fail-add refuses every pod"), e.getMessage());
        assertNoSandboxLeft(failingService);
        assertEquals(List.of(), ipamAllocations(), "bridge's address released by the rollback's DEL");
        assertEquals(List.of(), children(dir.resolve("root/cni")), "no CNI cache entry kept");
    }

    @Test
    void aMissingPluginLeavesNoSandboxBehind() throws Exception {
        Path broken = dir.resolve("net-broken.d");
        writeConflist(broken, "no-such-plugin");
        SandboxService brokenService = open(broken);
        SandboxException e = assertThrows(SandboxException.class, () -> brokenService.run(config("broken"), ""));
        assertTrue(e.getMessage().contains("no-such-plugin"), e.getMessage());
        assertNoSandboxLeft(brokenService);
        // DEL cannot run a missing plugin either: cni-bridge keeps the attachment cached (and
        // bridge's address allocated) so a later tearDown or gc finishes it once the plugin is back.
    }

    private void assertNoSandboxLeft(SandboxService s) throws IOException {
        assertEquals(List.of(), s.list(null));
        assertEquals(List.of(), runtime.list());
        assertEquals(List.of(), children(dir.resolve("root/sandboxes")));
        assertEquals(List.of(), children(dir.resolve("state/sandboxes")));
        assertEquals(List.of(), children(dir.resolve("state/netns")));
    }

    private String netnsPin(String id) {
        return dir.resolve("state/netns").resolve(id).toString();
    }

    private List<String> ipamAllocations() throws IOException {
        return children(dir.resolve("ipam").resolve(bridge)).stream().filter(n -> n.startsWith(subnetPrefix)).toList();
    }

    private static List<String> children(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", argv));
        }
        return out;
    }
}
