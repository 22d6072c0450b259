package dev.berth.sandbox;

import dev.berth.cni.CniException;
import dev.berth.cni.DnsConfig;
import dev.berth.cni.PodNetworkRequest;
import dev.berth.cni.PodNetworkResult;
import dev.berth.cni.PortMapping;
import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.cri.api.v1.PodSandboxMetadata;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.sys.Syscalls;
import dev.berth.sandbox.spec.CgroupsPathStyle;
import dev.berth.sandbox.spec.SpecException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * RunPodSandbox: reserve the pod's name, set up its network, make its cgroup when kubelet gave
 * no cgroup parent (see {@link PodCgroup}), write its /etc files and pause bundle, run the pause
 * process, record it READY. Each step has its own undo (see {@link Steps}),
 * so a failure anywhere leaves nothing behind: network torn down, runtime container deleted,
 * directories and name released.
 *
 * <p>A retry of a request (same name, namespace, uid and attempt; kubelet retries after a
 * timeout) waits for the first call and returns the sandbox it made, never "name reserved".
 */
final class RunPodSandbox {
    /** The size of a pod's /dev/shm, as containerd and Docker default it. */
    static final long SHM_BYTES = 64L << 20;

    private final SandboxEnv env;

    RunPodSandbox(SandboxEnv env) {
        this.env = env;
    }

    String run(PodSandboxConfig config, String runtimeHandler) {
        String handler = runtimeHandler == null ? "" : runtimeHandler;
        validate(config, handler);
        PodSandboxMetadata meta = config.getMetadata();
        PodLimits.Parsed limits = PodLimits.parse(config.getLinux(), "pod " + meta.getNamespace() + "/" + meta.getName());
        String name = SandboxRecord.reservedName(meta.getName(), meta.getNamespace(), meta.getUid(), meta.getAttempt());
        return env.locks().with("name:" + name, () -> {
            String id = env.ids().get();
            Optional<String> holder = env.names().reserve(name, id);
            if (holder.isPresent()) {
                return holder.get();
            }
            return create(id, name, config, handler, limits);
        });
    }

    private String create(String id, String name, PodSandboxConfig config, String handler, PodLimits.Parsed limits) {
        SandboxRecord draft = draft(id, config, handler, limits);
        Path sandboxDir = env.store().dirOf(id);
        try (Steps steps = new Steps("run pod sandbox " + name + " (" + id + ")")) {
            steps.run("reserve name", () -> {}, () -> env.names().release(name, id));
            steps.run("write hosts, resolv.conf and hostname",
                    () -> writeEtc(sandboxDir, draft, config), () -> FileTrees.deleteTree(sandboxDir));
            PodNetworkResult net = steps.run("set up the pod network", () -> setUpNetwork(draft, config),
                    r -> env.network().tearDown(id));
            SandboxRecord record = withNetwork(draft, net);
            if (record.podCgroup() != null && record.podCgroup().owned()) {
                steps.run("make the pod cgroup", () -> PodLimits.makeCgroup(env, record),
                        () -> env.cgroups().destroy(record.podCgroup().path()));
            }
            Path bundle = steps.run("write the pause bundle",
                    () -> PauseBundle.write(env.bundleOf(id), record, config.getLinux().getSysctlsMap(), env.cgroupsPaths()),
                    b -> FileTrees.deleteTree(b));
            if (!record.namespaces().hostIpc()) {
                steps.run("mount the pod's /dev/shm", () -> mountShm(id), shm -> Mounts.unmountAll(env.sys(), shm));
            }
            steps.run("create the pause container", () -> createPause(id, bundle), s -> env.runtime().delete(id, true));
            steps.run("start the pause container", () -> env.runtime().start(id), () -> {});
            steps.run("record the sandbox", () -> env.store().put(record), () -> env.store().remove(id));
            steps.commit();
            env.runtime().exit(id); // a waiting exit watcher tells status the pause lives, without a socket probe per call
            env.events().publish(() -> ContainerEventsOf.sandbox(env, id, ContainerEventType.CONTAINER_CREATED_EVENT));
            env.events().publish(() -> ContainerEventsOf.sandbox(env, id, ContainerEventType.CONTAINER_STARTED_EVENT));
            return id;
        }
    }

    /** A tmpfs of {@link #SHM_BYTES} shared by the pod's containers (their IPC namespace is the pod's). */
    private Path mountShm(String id) throws java.io.IOException {
        Path shm = java.nio.file.Files.createDirectories(env.shmOf(id));
        env.sys().mount("shm", shm, "tmpfs", Syscalls.MS_NOSUID | Syscalls.MS_NODEV | Syscalls.MS_NOEXEC,
                "mode=1777,size=" + SHM_BYTES);
        return shm;
    }

    private void validate(PodSandboxConfig config, String handler) {
        if (!env.handlers().contains(handler)) {
            throw SandboxException.invalid("unknown runtime handler \"" + handler + "\"; Berth serves "
                    + env.handlers().stream().sorted().map(h -> "\"" + h + "\"").toList()
                    + " (check the RuntimeClass's handler)");
        }
        if (!config.hasMetadata()) {
            throw SandboxException.invalid("pod sandbox config has no metadata");
        }
        PodSandboxMetadata meta = config.getMetadata();
        if (meta.getName().isEmpty() || meta.getNamespace().isEmpty() || meta.getUid().isEmpty()) {
            throw SandboxException.invalid("pod sandbox metadata needs a name, a namespace and a uid; got name \""
                    + meta.getName() + "\", namespace \"" + meta.getNamespace() + "\", uid \"" + meta.getUid() + "\"");
        }
        try {
            env.cgroupsPaths().checkParent(config.getLinux().getCgroupParent());
        } catch (SpecException e) {
            throw SandboxException.invalid("pod " + meta.getNamespace() + "/" + meta.getName() + ": " + e.getMessage());
        }
        NamespaceOption ns = config.getLinux().getSecurityContext().getNamespaceOptions();
        if (ns.hasUsernsOptions() && ns.getUsernsOptions().getMode() == NamespaceMode.POD) {
            throw SandboxException.invalid("pod " + meta.getNamespace() + "/" + meta.getName()
                    + " asks for a user namespace, which Berth does not support yet; run it with hostUsers: true");
        }
        for (NamespaceMode mode : List.of(ns.getNetwork(), ns.getIpc())) {
            if (mode != NamespaceMode.POD && mode != NamespaceMode.NODE) {
                throw SandboxException.invalid("pod network and IPC namespaces must be POD or NODE, not " + mode);
            }
        }
    }

    private SandboxRecord draft(String id, PodSandboxConfig config, String handler, PodLimits.Parsed limits) {
        PodSandboxMetadata meta = config.getMetadata();
        long createdAt = env.nowNanos();
        return new SandboxRecord(SandboxRecord.FORMAT, id, meta.getName(), meta.getNamespace(), meta.getUid(), meta.getAttempt(),
                createdAt, SandboxState.READY, config.getLabelsMap(), config.getAnnotationsMap(), handler, null, List.of(),
                config.getHostname(), config.getLogDirectory(), config.getLinux().getCgroupParent(),
                NamespaceModes.of(config.getLinux().getSecurityContext().getNamespaceOptions()),
                podCgroup(id, config.getLinux().getCgroupParent(), limits));
    }

    /**
     * The pod's cgroup. Under the systemd driver Berth makes no cgroup of its own for a pod
     * without a parent (it would have to be a slice unit): such a pod goes in berth.slice and has
     * no pod-level limit. kubelet with the systemd driver always sends its pod slice.
     */
    private PodCgroup podCgroup(String id, String cgroupParent, PodLimits.Parsed limits) {
        if (env.cgroupsPaths() == CgroupsPathStyle.SYSTEMD && cgroupParent.isEmpty()) {
            return null;
        }
        return PodCgroup.of(id, cgroupParent, limits.resources(), limits.overhead());
    }

    private void writeEtc(Path sandboxDir, SandboxRecord record, PodSandboxConfig config) {
        try {
            env.etc().write(sandboxDir, record.namespaces().hostNetwork(), config.getDnsConfig(), record.hostname());
        } catch (java.io.IOException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL,
                    "cannot write the /etc files of sandbox " + record.id() + " in " + sandboxDir + ": " + e.getMessage(), e);
        }
    }

    private PodNetworkResult setUpNetwork(SandboxRecord record, PodSandboxConfig config) {
        if (record.namespaces().hostNetwork()) {
            return null;
        }
        try {
            List<PortMapping> ports = config.getPortMappingsList().stream()
                    .filter(p -> p.getHostPort() > 0)
                    .map(p -> new PortMapping(p.getHostPort(), p.getContainerPort(), p.getProtocol().name().toLowerCase(java.util.Locale.ROOT),
                            p.getHostIp()))
                    .toList();
            DnsConfig dns = config.hasDnsConfig()
                    ? new DnsConfig(config.getDnsConfig().getServersList(), config.getDnsConfig().getSearchesList(),
                            config.getDnsConfig().getOptionsList())
                    : null;
            return env.network().setUp(new PodNetworkRequest(record.id(), record.namespace(), record.name(), record.uid(), ports, dns, null));
        } catch (CniException e) {
            throw new SandboxException(SandboxException.Kind.UNAVAILABLE,
                    "cannot set up the network of pod " + record.namespace() + "/" + record.name() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("pod " + record.namespace() + "/" + record.name() + ": " + e.getMessage());
        }
    }

    private static SandboxRecord withNetwork(SandboxRecord r, PodNetworkResult net) {
        if (net == null) {
            return r;
        }
        List<String> ips = net.ips().stream().map(InetAddress::getHostAddress).toList();
        return new SandboxRecord(r.version(), r.id(), r.name(), r.namespace(), r.uid(), r.attempt(), r.createdAtNanos(), r.state(),
                r.labels(), r.annotations(), r.runtimeHandler(), net.netnsPath().toString(), ips, r.hostname(), r.logDirectory(),
                r.cgroupParent(), r.namespaces(), r.podCgroup());
    }

    private Object createPause(String id, Path bundle) {
        try {
            return env.runtime().create(id, bundle, new CreateOptions(null, true));
        } catch (InvalidSpecException e) {
            throw SandboxException.invalid("pod sandbox " + id + ": the pause container's spec is invalid: " + e.getMessage());
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot run the pause process of sandbox " + id + ": " + e.getMessage(), e);
        }
    }
}
