package dev.berth.sandbox;

import dev.berth.cni.PodNetwork;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.shim.CgroupPlacement;
import dev.berth.runtime.sys.Syscalls;
import dev.berth.sandbox.spec.CgroupsPathStyle;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the sandbox and container operations share: the records, the reserved names, the
 * runtime, cgroup, network and image seams, where bundles go, the event bus, and the injected
 * clock and id source.
 *
 * @param bundles volatile dir holding one pause bundle per sandbox ({@code <state>/sandboxes/<id>})
 * @param containerBundles volatile dir holding one bundle per container ({@code <state>/containers/<id>})
 * @param handlers the runtime handlers Berth serves ("" is the default handler)
 * @param cgroupsPaths how cgroupsPath is written for the cgroup driver the runtime uses
 * @param cgroups the cgroups of pods that Berth makes itself (see {@link PodCgroup})
 * @param maxCheckpointBytes the most a checkpoint archive to restore from may hold
 */
record SandboxEnv(
        RecordStore<SandboxRecord> store,
        NameRegistry names,
        RecordStore<ContainerRecord> containers,
        NameRegistry containerNames,
        ContainerRuntime runtime,
        CgroupPlacement cgroups,
        PodNetwork network,
        ContainerImages images,
        Syscalls sys,
        ContainerEvents events,
        Path bundles,
        Path containerBundles,
        EtcFiles etc,
        Set<String> handlers,
        Clock clock,
        Supplier<String> ids,
        KeyedLocks locks,
        CgroupsPathStyle cgroupsPaths,
        long maxCheckpointBytes) {

    Path bundleOf(String id) {
        return bundles.resolve(id);
    }

    /** The pod's /dev/shm: a tmpfs mounted here unless the pod uses the host's IPC namespace. */
    Path shmOf(String sandboxId) {
        return bundleOf(sandboxId).resolve("shm");
    }

    /** A container's bundle: config.json and the rootfs mount point. */
    Path containerBundleOf(String id) {
        return containerBundles.resolve(id);
    }

    long nowNanos() {
        return ContainerStates.nanos(clock.instant());
    }

    /** The containers of one sandbox. */
    java.util.List<ContainerRecord> containersOf(String sandboxId) {
        return containers.all().stream().filter(c -> c.sandboxId().equals(sandboxId)).toList();
    }
}
