package dev.berth.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cni.PodCidrFile;
import dev.berth.cni.PodCidrs;
import dev.berth.cri.api.v1.NetworkConfig;
import dev.berth.cri.api.v1.RuntimeConfig;
import dev.berth.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.berth.server.UnsupportedPodNetwork;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCidrRpcsTest {
    @TempDir
    Path dir;

    private final RecordingNetwork network = new RecordingNetwork();

    private static UpdateRuntimeConfigRequest request(String podCidr) {
        return UpdateRuntimeConfigRequest.newBuilder()
                .setRuntimeConfig(RuntimeConfig.newBuilder().setNetworkConfig(NetworkConfig.newBuilder().setPodCidr(podCidr)))
                .build();
    }

    @Test
    void aPodCidrIsSavedThenHandedToThePodNetwork() {
        PodCidrFile file = new PodCidrFile(dir.resolve("cni/pod-cidrs.json"));
        new PodCidrRpcs(network, file).updateRuntimeConfig(request("10.244.1.0/24,fd00:1::/64"));

        assertEquals(List.of(PodCidrs.parse("10.244.1.0/24,fd00:1::/64")), network.used);
        assertEquals(PodCidrs.parse("10.244.1.0/24,fd00:1::/64"), file.load());
    }

    @Test
    void emptyChangesNothing() {
        PodCidrFile file = new PodCidrFile(dir.resolve("pod-cidrs.json"));
        PodCidrRpcs rpcs = new PodCidrRpcs(network, file);
        rpcs.updateRuntimeConfig(request("10.244.1.0/24"));

        rpcs.updateRuntimeConfig(request(""));
        rpcs.updateRuntimeConfig(UpdateRuntimeConfigRequest.getDefaultInstance());

        assertEquals(List.of(PodCidrs.parse("10.244.1.0/24")), network.used);
        assertEquals(PodCidrs.parse("10.244.1.0/24"), file.load());
    }

    @Test
    void aBadPodCidrIsInvalidArgumentNamingItAndChangesNothing() {
        PodCidrFile file = new PodCidrFile(dir.resolve("pod-cidrs.json"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> new PodCidrRpcs(network, file).updateRuntimeConfig(request("10.244.1.0/64")));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("UpdateRuntimeConfig: runtime_config.network_config.pod_cidr "
                + "\"10.244.1.0/64\" needs a prefix length from 0 to 32"), e.getStatus().getDescription());
        assertEquals(List.of(), network.used);
        assertEquals(PodCidrs.NONE, file.load());
    }

    /** Records the CIDRs it is given; nothing else is called. */
    private static final class RecordingNetwork extends UnsupportedPodNetwork {
        final List<PodCidrs> used = new ArrayList<>();

        @Override
        public void usePodCidrs(PodCidrs cidrs) {
            used.add(cidrs);
        }
    }
}
