package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.api.v1.NetworkConfig;
import dev.berth.cri.api.v1.PodSandboxStatusRequest;
import dev.berth.cri.api.v1.RuntimeConfig;
import dev.berth.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.berth.server.config.BerthConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRI UpdateRuntimeConfig through the daemon's socket, with Debian's bridge and host-local
 * plugins: the pod CIDR reaches a plugin that declares the {@code ipRanges} capability, becomes
 * the range of the default network Berth wrote, and is still in use after a daemon restart.
 */
@Tag("root")
class UpdateRuntimeConfigSocketTest {
    private final ObjectMapper json = new ObjectMapper();
    private final int octet = ThreadLocalRandom.current().nextInt(256);

    @TempDir
    Path dir;
    private PodFixture pods;
    private String defaultNetwork; // its host-local leases live in /var/lib/cni/networks/<name>

    @BeforeEach
    void assumeCapable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces, bridges and mounts");
        for (String plugin : List.of("bridge", "host-local", "portmap")) {
            assumeTrue(Files.isExecutable(PodFixture.PLUGINS.resolve(plugin)), "needs Debian containernetworking-plugins in "
                    + PodFixture.PLUGINS + " (no " + plugin + ")");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pods != null) {
            pods.close();
        }
        if (defaultNetwork != null) {
            try (var leases = Files.walk(Path.of("/var/lib/cni/networks", defaultNetwork))) {
                leases.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (NoSuchFileException none) {
                // no pod ever got a lease
            }
        }
    }

    private void update(String podCidr) {
        pods.runtime.updateRuntimeConfig(UpdateRuntimeConfigRequest.newBuilder()
                .setRuntimeConfig(RuntimeConfig.newBuilder().setNetworkConfig(NetworkConfig.newBuilder().setPodCidr(podCidr)))
                .build());
    }

    private String podIp(String podId) {
        return pods.runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(podId).build())
                .getStatus().getNetwork().getIp();
    }

    /**
     * A chained plugin that appends each call's stdin to {@code calls/<command>} and answers ADD
     * with its prevResult. Berth writes a request as compact JSON with prevResult as its last key,
     * which is what lets sed cut it out without a JSON tool.
     */
    private Path writeRecorder(Path bin, Path calls) throws IOException {
        Files.createDirectories(bin);
        Files.createDirectories(calls);
        Path recorder = bin.resolve("berth-recorder");
        Files.writeString(recorder, """
                #!/bin/sh
                stdin=$(cat)
                printf '%%s\\n' "$stdin" >> '%s'/"$CNI_COMMAND"
                [ "$CNI_COMMAND" = ADD ] || exit 0
                printf '%%s' "$stdin" | sed 's/.*"prevResult"://; s/}$//'
                """.formatted(calls));
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwxr-xr-x"));
        return recorder;
    }

    private List<JsonNode> recordedAdds(Path calls) throws IOException {
        return Files.readAllLines(calls.resolve("ADD")).stream().map(line -> {
            try {
                return json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("recorded stdin is not JSON: " + line, e);
            }
        }).toList();
    }

    @Test
    void podCidrReachesPluginsWithTheIpRangesCapabilityAndSurvivesARestart() throws Exception {
        Path bin = dir.resolve("bin");
        Path calls = dir.resolve("calls");
        writeRecorder(bin, calls);
        String podCidr = "10.86." + octet + ".0/24";
        // host-local has no ranges of its own: like a Kubernetes node's network, it needs the pod CIDR
        pods = new PodFixture(dir, null, c -> c.withCni(c.cni().withBinDirs(List.of(bin, PodFixture.PLUGINS))), f -> """
                {"cniVersion":"1.0.0","name":"%s","plugins":[
                  {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,"capabilities":{"ipRanges":true},
                   "ipam":{"type":"host-local","dataDir":"%s"}},
                  {"type":"berth-recorder","capabilities":{"ipRanges":true}}
                ]}
                """.formatted(f.bridge, f.bridge, dir.resolve("ipam")));

        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> update("10.86." + octet + ".7/24"));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().contains("pod_cidr \"10.86." + octet + ".7/24\" has host bits set"),
                bad.getStatus().getDescription());

        update(podCidr);
        String first = pods.runPod(pods.pod("first"));
        JsonNode ipRanges = json.readTree("[[{\"subnet\":\"" + podCidr + "\"}]]");
        assertEquals(ipRanges, recordedAdds(calls).getLast().path("runtimeConfig").path("ipRanges"), recordedAdds(calls).getLast().toString());
        assertTrue(podIp(first).startsWith("10.86." + octet + "."), "host-local allocated from the pod CIDR: " + podIp(first));

        pods.stopDaemon();
        pods.start();
        update(""); // empty: no change
        String second = pods.runPod(pods.pod("second"));
        assertEquals(ipRanges, recordedAdds(calls).getLast().path("runtimeConfig").path("ipRanges"), "after the restart");
        assertTrue(podIp(second).startsWith("10.86." + octet + "."), podIp(second));
    }

    @Test
    void theDefaultNetworkBerthWroteTakesThePodCidrAsItsRangeAndKeepsItAfterARestart() throws Exception {
        String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        defaultNetwork = "e2e-" + suffix;
        String podCidr = "10.85." + octet + ".0/24";
        pods = new PodFixture(dir, null, c -> {
            BerthConfig.Cni cni = c.cni();
            return c.withCni(new BerthConfig.Cni(cni.confDirs(), List.of(PodFixture.PLUGINS), cni.netnsDir(), cni.cacheDir(),
                    cni.pluginTimeoutSeconds(), cni.maxOutputBytes(), true,
                    new BerthConfig.Cni.DefaultNetwork(defaultNetwork, "bd" + suffix, "10.84." + octet + ".0/24")));
        }, f -> null);
        Path written = TestConfigs.confDir(dir).resolve("10-" + defaultNetwork + ".conflist");
        JsonNode ranges = json.readTree(written.toFile()).path("plugins").path(0).path("ipam").path("ranges");
        assertEquals(json.readTree("[[{\"subnet\":\"10.84." + octet + ".0/24\"}]]"), ranges, "the configured subnet, until kubelet says");

        try {
            update(podCidr);
            JsonNode podCidrRanges = json.readTree("[[{\"subnet\":\"" + podCidr + "\"}]]");
            assertEquals(podCidrRanges, json.readTree(written.toFile()).path("plugins").path(0).path("ipam").path("ranges"));
            String first = pods.runPod(pods.pod("first"));
            assertTrue(podIp(first).startsWith("10.85." + octet + "."), podIp(first));

            pods.stopDaemon();
            Files.delete(written); // written again at start, with the saved pod CIDR
            pods.start();
            assertEquals(podCidrRanges, json.readTree(written.toFile()).path("plugins").path(0).path("ipam").path("ranges"));
            String second = pods.runPod(pods.pod("second"));
            assertTrue(podIp(second).startsWith("10.85." + octet + "."), podIp(second));
        } finally {
            // the default network's bridge is not the fixture's, so it is not removed with it
            pods.close();
            pods = null;
            new ProcessBuilder("ip", "link", "del", "bd" + suffix).redirectErrorStream(true).start().waitFor();
        }
    }
}
