package dev.berth.server.rpc;

import dev.berth.cni.PodCidrFile;
import dev.berth.cni.PodCidrs;
import dev.berth.cni.PodNetwork;
import dev.berth.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.berth.cri.api.v1.UpdateRuntimeConfigResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.logging.Logger;

/**
 * CRI UpdateRuntimeConfig: kubelet hands over the node's pod CIDR (its {@code spec.podCIDRs},
 * joined with commas) once the node has one; the rest of the runtime config it may send is
 * nothing Berth uses. An empty CIDR changes nothing, as in containerd. A valid one is saved
 * first (kubelet sends it again only when it changes, so a restarted daemon must know it
 * already; the daemon loads it at start) and then handed to the pod network.
 */
public final class PodCidrRpcs {
    private static final Logger LOG = Logger.getLogger(PodCidrRpcs.class.getName());

    private final PodNetwork network;
    private final PodCidrFile saved;

    public PodCidrRpcs(PodNetwork network, PodCidrFile saved) {
        this.network = network;
        this.saved = saved;
    }

    public synchronized UpdateRuntimeConfigResponse updateRuntimeConfig(UpdateRuntimeConfigRequest request) {
        String text = request.getRuntimeConfig().getNetworkConfig().getPodCidr();
        PodCidrs cidrs;
        try {
            cidrs = PodCidrs.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UpdateRuntimeConfig: "
                    + "runtime_config.network_config.pod_cidr " + e.getMessage()
                    + "; send the node's pod CIDRs as network addresses, comma-separated (e.g. 10.244.1.0/24,fd00:1::/64)"));
        }
        if (!cidrs.isEmpty()) {
            saved.save(cidrs);
            network.usePodCidrs(cidrs);
            LOG.info(() -> "pod CIDRs from kubelet: " + cidrs);
        }
        return UpdateRuntimeConfigResponse.getDefaultInstance();
    }
}
