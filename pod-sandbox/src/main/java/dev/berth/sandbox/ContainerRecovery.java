package dev.berth.sandbox;

import dev.berth.runtime.ContainerState;
import dev.berth.runtime.NoSuchContainerException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Containers after a daemon (re)start. Running containers were never touched (their shims
 * outlived the old daemon): their exits are awaited again. Exits that happened while no daemon
 * ran are copied from the runtime into the records. A container bundle without a record is a
 * CreateContainer the old daemon did not finish: its runtime container, rootfs and bundle go;
 * so do the staging directories of checkpoints it did not finish.
 */
final class ContainerRecovery {
    private static final System.Logger LOG = System.getLogger(ContainerRecovery.class.getName());

    private final SandboxEnv env;
    private final ContainerExits exits;

    ContainerRecovery(SandboxEnv env, ContainerExits exits) {
        this.env = env;
        this.exits = exits;
    }

    void recover() {
        for (ContainerRecord record : env.containers().all()) {
            CheckpointContainer.dropStaging(env, record.id());
            try {
                ContainerState live = env.runtime().state(record.id());
                switch (live.status()) {
                    case RUNNING -> exits.watch(record.id());
                    case STOPPED -> {
                        if (live.exit() != null) {
                            exits.record(record.id(), live.exit());
                        }
                    }
                    case CREATED -> { }
                }
            } catch (NoSuchContainerException e) {
                LOG.log(Level.WARNING, "container {0} has a record but the runtime does not know it; it is reported UNKNOWN", record.id());
            }
        }
        for (String id : halfMade()) {
            LOG.log(Level.INFO, "removing container {0}, left half-made by an earlier daemon", id);
            try {
                env.runtime().delete(id, true);
                env.images().releaseRootfs(id, env.containerBundleOf(id).resolve("rootfs"));
                FileTrees.deleteTree(env.containerBundleOf(id));
                env.containers().remove(id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot clean up half-made container {0}, will retry at the next start: {1}", id, e.getMessage());
            }
        }
    }

    /** Bundles (and runtime containers made from one) that have no record. */
    private Set<String> halfMade() {
        Set<String> ids = new HashSet<>(env.containers().orphans());
        Path bundles = env.containerBundles();
        if (Files.isDirectory(bundles)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(bundles, Files::isDirectory)) {
                for (Path dir : dirs) {
                    ids.add(dir.getFileName().toString());
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot list container bundles in {0}: {1}", bundles, e.getMessage());
            }
        }
        for (ContainerState c : env.runtime().list()) {
            if (c.bundle() != null && c.bundle().startsWith(bundles)) {
                ids.add(c.id());
            }
        }
        ids.removeIf(id -> env.containers().get(id).isPresent());
        return ids;
    }
}
