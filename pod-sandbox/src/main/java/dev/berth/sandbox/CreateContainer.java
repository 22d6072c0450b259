package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerConfig;
import dev.berth.cri.api.v1.ContainerEventType;
import dev.berth.cri.api.v1.ContainerMetadata;
import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.cri.api.v1.PodSandboxConfig;
import dev.berth.runtime.CheckpointException;
import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.NoSuchContainerException;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import dev.berth.sandbox.ContainerImages.ImageInfo;
import dev.berth.sandbox.checkpoint.ArchiveReader;
import dev.berth.sandbox.spec.ContainerSpecInput;
import dev.berth.sandbox.spec.ContainerSpecs;
import dev.berth.sandbox.spec.ImageDefaults;
import dev.berth.sandbox.spec.SandboxView;
import dev.berth.sandbox.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CreateContainer: reserve the container's name, mount its rootfs over the image, write its
 * OCI bundle from the CRI config, create it in the runtime (its init waits for StartContainer),
 * record it. Every step has its undo, so a failure leaves nothing behind.
 *
 * <p>A retry (same name in the same sandbox; kubelet retries after its own timeout) waits for
 * the first call and returns the container it made. The same name held by a container of
 * another sandbox is a conflict kubelet must resolve by removing that container.
 */
final class CreateContainer {
    private final SandboxEnv env;

    CreateContainer(SandboxEnv env) {
        this.env = env;
    }

    String create(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        validate(config);
        SandboxRecord sandbox = env.store().get(sandboxId).orElseThrow(() -> SandboxException.notFound(sandboxId));
        ContainerMetadata meta = config.getMetadata();
        String name = meta.getName() + "_" + sandbox.name() + "_" + sandbox.namespace() + "_" + sandbox.uid() + "_" + meta.getAttempt();
        return env.locks().with("container-name:" + name, () -> {
            String id = env.ids().get();
            Optional<String> holder = env.containerNames().reserve(name, id);
            if (holder.isPresent()) {
                return sameRequest(holder.get(), sandboxId, name);
            }
            try {
                return create(id, name, sandbox, config, sandboxConfig);
            } catch (RuntimeException e) {
                env.containerNames().release(name, id); // a refused request must not keep the name
                throw e;
            }
        });
    }

    private String sameRequest(String holderId, String sandboxId, String name) {
        ContainerRecord holder = env.containers().get(holderId).orElse(null);
        if (holder != null && holder.sandboxId().equals(sandboxId)) {
            return holderId;
        }
        throw new SandboxException(SandboxException.Kind.ALREADY_EXISTS, "container name \"" + name + "\" is already used by container "
                + holderId + (holder == null ? "" : " of sandbox " + holder.sandboxId()) + "; remove that container first");
    }

    private String create(String id, String name, SandboxRecord sandbox, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        long pausePid = readyPause(sandbox);
        String requested = config.getImage().getImage();
        boolean restore = CheckpointRestore.requested(config);
        Path bundle = env.containerBundleOf(id);
        Path rootfs = bundle.resolve("rootfs");
        Path logPath = ContainerLogs.path(sandbox, config);
        try (Steps steps = new Steps("create container " + name + " (" + id + ")")) {
            // From a checkpoint, the image is the one the archive names (checked against the store), not the archive's path.
            ArchiveReader.Extracted checkpoint = !restore ? null : steps.run("unpack the checkpoint archive",
                    () -> CheckpointRestore.unpack(env, id, requested), x -> FileTrees.deleteTree(env.containers().dirOf(id)));
            String imageName = restore ? checkpoint.config().image() : requested;
            ImageInfo image = restore ? CheckpointRestore.image(env, checkpoint, requested) : env.images().find(imageName)
                    .orElseThrow(() -> new SandboxException(SandboxException.Kind.NOT_FOUND,
                            "image \"" + imageName + "\" is not on this node; pull it first (crictl pull " + imageName + ")"));
            ImageDefaults defaults = ImageDefaults.parse(image.configJson());
            int stopSignal = stopSignal(config, defaults);
            steps.run("make the bundle directory", () -> Files.createDirectories(rootfs), dir -> FileTrees.deleteTree(bundle));
            Path writableLayer = steps.run("mount the rootfs", () -> restore
                    ? env.images().mountRootfs(id, image.id(), rootfs, checkpoint.rootfsDiff(), env.maxCheckpointBytes())
                    : env.images().mountRootfs(id, image.id(), rootfs),
                    upper -> env.images().releaseRootfs(id, rootfs));
            Spec spec = steps.run("build the OCI spec", () -> buildSpec(id, sandbox, pausePid, config, defaults, rootfs, imageName),
                    s -> {});
            steps.run("write config.json", () -> {
                SpecFiles.write(bundle, spec);
                return bundle;
            }, b -> {});
            steps.run("make the log directory", () -> makeLogDir(logPath), p -> {});
            steps.run("create the container", () -> createInRuntime(id, bundle, logPath, config, restore ? checkpoint.images() : null),
                    s -> env.runtime().delete(id, true));
            ContainerRecord record = new ContainerRecord(ContainerRecord.FORMAT, id, sandbox.id(), config.getMetadata().getName(),
                    config.getMetadata().getAttempt(), name, imageName, image.id(), image.ref(), env.nowNanos(), 0, 0, 0, "", "",
                    config.getLabelsMap(), config.getAnnotationsMap(), ContainerMountRecords.of(config.getMountsList()),
                    logPath == null ? "" : logPath.toString(), config.getTty(), config.getStdin(), config.getStdinOnce(), stopSignal,
                    writableLayer.toString());
            steps.run("record the container", () -> env.containers().put(record), () -> env.containers().remove(id));
            steps.commit();
            env.events().publish(() -> ContainerEventsOf.container(env, record, ContainerEventType.CONTAINER_CREATED_EVENT));
            return id;
        }
    }

    private static void validate(ContainerConfig config) {
        if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
            throw SandboxException.invalid("container config has no metadata name; set metadata.name");
        }
        if (!config.hasImage() || config.getImage().getImage().isEmpty()) {
            throw SandboxException.invalid("container " + config.getMetadata().getName() + " names no image; set image.image");
        }
    }

    /** The pause process's pid; the sandbox must be READY with its pause running. */
    private long readyPause(SandboxRecord sandbox) {
        String why = sandbox.state() != SandboxState.READY ? "is stopped" : null;
        long pid = 0;
        if (why == null) {
            try {
                ContainerState pause = env.runtime().state(sandbox.id());
                pid = pause.pid();
                if (pause.status() != ContainerStatus.RUNNING || pid <= 0) {
                    why = "has no running pause process";
                }
            } catch (NoSuchContainerException e) {
                why = "has no pause process";
            }
        }
        if (why != null) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "pod sandbox " + sandbox.id() + " " + why
                    + "; containers can only be created in a ready sandbox");
        }
        return pid;
    }

    private static int stopSignal(ContainerConfig config, ImageDefaults image) {
        int fromRequest = Signals.of(config.getStopSignal());
        if (fromRequest != 0) {
            return fromRequest;
        }
        if (!image.stopSignal().isEmpty()) {
            try {
                return Signals.parse(image.stopSignal());
            } catch (IllegalArgumentException e) {
                throw SandboxException.invalid("the image " + config.getImage().getImage() + " has STOPSIGNAL \""
                        + image.stopSignal() + "\", which is no Linux signal");
            }
        }
        return Signals.SIGTERM;
    }

    private Spec buildSpec(String id, SandboxRecord sandbox, long pausePid, ContainerConfig config, ImageDefaults defaults,
            Path rootfs, String imageName) {
        Path sandboxDir = env.store().dirOf(sandbox.id());
        Path shm = sandbox.namespaces().hostIpc() ? null : env.shmOf(sandbox.id());
        SandboxView view = new SandboxView(sandbox.id(), pausePid, sandbox.netnsPath(), sandbox.namespaces().toProto(),
                sandboxDir.resolve("hosts"), sandboxDir.resolve("resolv.conf"), sandboxDir.resolve("hostname"), shm,
                sandbox.containersCgroupParent(), sandbox.namespaces().hostNetwork() ? "" : sandbox.hostname(), env.cgroupsPaths());
        try {
            return ContainerSpecs.build(new ContainerSpecInput(id, config, view, defaults, rootfs, imageName, targetPid(config)));
        } catch (SpecException e) {
            throw SandboxException.invalid("container " + config.getMetadata().getName() + ": " + e.getMessage());
        }
    }

    /** For PID namespace mode TARGET: the init pid of the container whose PID namespace this one joins. */
    private long targetPid(ContainerConfig config) {
        NamespaceOption ns = config.getLinux().getSecurityContext().getNamespaceOptions();
        if (ns.getPid() != NamespaceMode.TARGET) {
            return 0;
        }
        String target = ns.getTargetId();
        try {
            long pid = env.runtime().state(target).pid();
            if (env.containers().get(target).isPresent() && pid > 0) {
                return pid;
            }
        } catch (NoSuchContainerException e) {
            // reported below
        }
        throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + config.getMetadata().getName()
                + " targets the PID namespace of container \"" + target + "\", which is not running");
    }

    private static Path makeLogDir(Path logPath) throws IOException {
        return logPath == null ? null : Files.createDirectories(logPath.getParent());
    }

    private ContainerState createInRuntime(String id, Path bundle, Path logPath, ContainerConfig config, Path restoreFrom) {
        try {
            return env.runtime().create(id, bundle, new CreateOptions(logPath, false, config.getStdin(), config.getStdinOnce(),
                    restoreFrom));
        } catch (InvalidSpecException e) {
            throw SandboxException.invalid("container " + config.getMetadata().getName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // limits this host's cgroups cannot apply (e.g. unified keys on cgroup v1), refused before anything was made
            throw SandboxException.invalid("container " + config.getMetadata().getName() + ": resources: " + e.getMessage());
        } catch (CheckpointException e) {
            throw new SandboxException(SandboxException.Kind.FAILED_PRECONDITION, "container " + config.getMetadata().getName()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeFailureException e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, "cannot create container " + config.getMetadata().getName()
                    + ": " + e.getMessage(), e);
        }
    }
}
