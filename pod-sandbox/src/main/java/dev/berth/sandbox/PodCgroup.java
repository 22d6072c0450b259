package dev.berth.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.runtime.oci.Spec;
import dev.berth.sandbox.spec.PodResources;
import java.util.Objects;

/**
 * A pod's cgroup: the parent of its pause's and its containers' cgroups, so a pod-level limit
 * covers all of them.
 *
 * <p>With a {@code cgroup_parent} (kubelet always sends one), that is the pod's cgroup and kubelet
 * owns it: kubelet made it, sets its limits (also on resize, before UpdatePodSandboxResources) and
 * removes it; Berth only places the pod in it. Without one (crictl, other CRI clients), Berth makes
 * its own, {@code /berth/<sandbox id>}, as kubelet would: with the pod-level limits from
 * {@code resources} plus {@code overhead}, changed by UpdatePodSandboxResources, removed with the pod.
 *
 * @param path the cgroupsPath, e.g. "/kubepods/burstable/pod<uid>" or "/berth/<sandbox id>"
 * @param owned whether Berth made it (and so sets its limits and removes it)
 * @param resources the pod's resources as last given (RunPodSandbox or UpdatePodSandboxResources); null = none
 * @param overhead likewise its overhead
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PodCgroup(String path, boolean owned, Spec.Resources resources, Spec.Resources overhead) {
    /** Where Berth puts the cgroups of pods without a cgroup parent. */
    static final String BERTH_ROOT = "/berth";

    public PodCgroup {
        Objects.requireNonNull(path, "path");
    }

    /** kubelet's {@code cgroup_parent} when given, else Berth's own cgroup for the sandbox. */
    static PodCgroup of(String sandboxId, String cgroupParent, Spec.Resources resources, Spec.Resources overhead) {
        if (cgroupParent == null || cgroupParent.isEmpty()) {
            return new PodCgroup(BERTH_ROOT + "/" + sandboxId, true, resources, overhead);
        }
        String path = (cgroupParent.startsWith("/") ? cgroupParent : "/" + cgroupParent).replaceAll("/+$", "");
        return new PodCgroup(path, false, resources, overhead);
    }

    /** The limits of the pod cgroup: resources plus overhead; null for none. */
    Spec.Resources limits() {
        return PodResources.limits(resources, overhead);
    }

    PodCgroup with(Spec.Resources newResources, Spec.Resources newOverhead) {
        return new PodCgroup(path, owned, newResources, newOverhead);
    }
}
