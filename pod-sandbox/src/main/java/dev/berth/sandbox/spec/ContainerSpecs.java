package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.LinuxContainerResources;
import dev.berth.cri.api.v1.LinuxContainerSecurityContext;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.runtime.oci.Spec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CRI CreateContainer request (with its sandbox and image) as an OCI runtime spec, following
 * containerd's CRI plugin. Each part has its own class; this one puts them together. No
 * rlimits (the container inherits them) and no sysctls (those are the pod's, set by its pause
 * process); no hostname, since the container joins the pod's UTS namespace.
 */
public final class ContainerSpecs {
    static final String OCI_VERSION = "1.0.2";

    private ContainerSpecs() {}

    public static Spec build(ContainerSpecInput in) throws SpecException {
        return build(in, HostFacts.detect());
    }

    /** The resources part alone, for UpdateContainerResources. Null when {@code r} is null. */
    public static Spec.Resources resources(LinuxContainerResources r) throws SpecException {
        return ContainerResources.of(r);
    }

    static Spec build(ContainerSpecInput in, HostFacts host) {
        ContainerConfig config = in.config();
        if (config.getMetadata().getName().isEmpty()) {
            throw new SpecException("metadata.name is empty; name the container");
        }
        if (config.getCDIDevicesCount() > 0) {
            throw new SpecException("CDI devices (" + config.getCDIDevices(0).getName() + "...) are not supported by Berth; "
                    + "use a device plugin that passes host devices");
        }
        LinuxContainerSecurityContext sc = config.getLinux().getSecurityContext();
        boolean privileged = sc.getPrivileged();
        SandboxView sandbox = in.sandbox();
        boolean hostIpc = sc.getNamespaceOptions().getIpc() == NamespaceMode.NODE
                || sandbox.podNamespaces().getIpc() == NamespaceMode.NODE;
        ContainerMounts.Result mounts = ContainerMounts.build(config, sandbox, privileged, hostIpc, sc.getReadonlyRootfs());
        Spec.Capabilities caps = Capabilities.forContainer(sc.getCapabilities(), privileged, host.capabilities());
        Spec.Linux linux = new Spec.Linux(
                ContainerNamespaces.forContainer(sc.getNamespaceOptions(), sandbox, in.targetPid(), host.unifiedCgroups() && !privileged),
                null, null,
                Devices.forContainer(config.getDevicesList(), privileged, host.devDir()),
                cgroupsPath(sandbox, in.containerId()),
                config.getLinux().hasResources() ? ContainerResources.of(config.getLinux().getResources()) : null,
                mounts.rootfsPropagation(),
                SeccompProfiles.forContainer(sc.hasSeccomp() ? sc.getSeccomp() : null, legacySeccompPath(sc), privileged,
                        caps.bounding()),
                null,
                ProcPaths.masked(sc, privileged),
                ProcPaths.readonly(sc, privileged),
                null);
        return new Spec(OCI_VERSION, process(in, sc, host, caps), new Spec.Root(in.rootfs().toString(), sc.getReadonlyRootfs()),
                null, null, mounts.mounts(), annotations(in), linux);
    }

    private static Spec.Process process(ContainerSpecInput in, LinuxContainerSecurityContext sc, HostFacts host, Spec.Capabilities caps) {
        ContainerConfig config = in.config();
        String hostname = in.sandbox().hostname().isEmpty() ? host.nodeHostname() : in.sandbox().hostname();
        List<String> args = ProcessArgs.of(config, in.image());
        List<String> env = EnvMerge.of(in.image().env(), config.getEnvsList(), hostname);
        String cwd = workingDir(config.getWorkingDir(), in.image().workingDir());
        Spec.User user = ImageUsers.resolve(in.rootfs(), sc, in.image().user());
        return new Spec.Process(config.getTty(), user, args, env, cwd,
                caps, null, sc.getNoNewPrivs(), oomScoreAdj(config),
                AppArmorProfiles.forContainer(sc, sc.getPrivileged(), host.apparmorEnabled()), null);
    }

    static String workingDir(String requested, String image) {
        if (!requested.isEmpty()) {
            if (!requested.startsWith("/")) {
                throw new SpecException("working_dir \"" + requested + "\" must be an absolute path inside the container");
            }
            return requested;
        }
        return image.isEmpty() ? "/" : ContainerPaths.clean(image);
    }

    /** Null without resources (the runtime's default); the runtime clamps it to what the daemon may set. */
    private static Integer oomScoreAdj(ContainerConfig config) {
        if (!config.getLinux().hasResources()) {
            return null;
        }
        long adj = config.getLinux().getResources().getOomScoreAdj();
        if (adj < Integer.MIN_VALUE || adj > Integer.MAX_VALUE) {
            throw new SpecException("resources.oom_score_adj " + adj + " is out of range; use -1000 to 1000");
        }
        return (int) adj;
    }

    @SuppressWarnings("deprecation")
    private static String legacySeccompPath(LinuxContainerSecurityContext sc) {
        return sc.getSeccompProfilePath();
    }

    /**
     * Under the pod's cgroup (kubelet's parent, or Berth's own when kubelet gave none, see
     * PodCgroup), written for the cgroup driver ({@link CgroupsPathStyle}): with cgroupfs {@code <pod
     * cgroup>/<container id>}, a sibling of the pause process's cgroup. Never under the pause's own
     * cgroup: on cgroup v2 a cgroup with a process cannot delegate controllers to children.
     */
    static String cgroupsPath(SandboxView sandbox, String containerId) {
        return sandbox.cgroupsPaths().cgroupsPath(sandbox.cgroupParent(), containerId);
    }

    /** The request's annotations, then the CRI ones (which a request cannot override). */
    private static Map<String, String> annotations(ContainerSpecInput in) {
        Map<String, String> out = new TreeMap<>(in.config().getAnnotationsMap());
        out.put("io.kubernetes.cri.container-type", "container");
        out.put("io.kubernetes.cri.container-name", in.config().getMetadata().getName());
        out.put("io.kubernetes.cri.sandbox-id", in.sandbox().sandboxId());
        out.put("io.kubernetes.cri.image-name", in.imageName());
        return Collections.unmodifiableMap(out);
    }
}
