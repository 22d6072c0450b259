package dev.berth.runtime.shim;

import dev.berth.runtime.CheckpointException;
import dev.berth.runtime.CheckpointRequest;
import dev.berth.runtime.CheckpointSupport;
import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * The CRIU side of {@link ShimRuntime}: dumping a running container, and the launch plan and
 * failure report of a container created from a checkpoint (the shim runs criu restore at start).
 */
final class ShimCheckpoints {
    /** In a container's meta: the checkpoint images it is restored from. */
    static final String RESTORE = "restore";
    private static final int MAX_OUTPUT_READ = 16 << 10;

    private final Criu criu;
    private final Clock clock;

    ShimCheckpoints(Criu criu, Clock clock) {
        this.criu = criu;
        this.clock = clock;
    }

    CheckpointSupport support() {
        return criu.support();
    }

    /** Dumps the running container's processes (they keep running) as the request says. */
    void checkpoint(String id, ContainerDir dir, ContainerState state, CheckpointRequest request) {
        if (state.status() != ContainerStatus.RUNNING || state.pid() <= 0) {
            throw new CheckpointException(CheckpointException.Kind.NOT_CHECKPOINTABLE, "container " + id + " is "
                    + state.status().name().toLowerCase() + "; only a running container can be checkpointed");
        }
        Path binary = usableCriu("checkpoint");
        PlanRecords plan;
        try {
            plan = PlanRecords.parse(Files.readAllBytes(dir.plan()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plan of container " + id, e);
        }
        CriuDump.run(criu, binary, plan, state.pid(), request, clock);
    }

    /** The launch plan with the records that make the shim run criu restore at start instead of the init. */
    byte[] withRestore(byte[] plan, Path images, ContainerDir dir) throws dev.berth.runtime.oci.InvalidSpecException {
        Path binary = usableCriu("restore a checkpoint");
        byte[] restore = CriuRestore.records(PlanRecords.parse(plan), images.toAbsolutePath(), dir.path().toAbsolutePath(), binary);
        byte[] all = Arrays.copyOf(plan, plan.length + restore.length);
        System.arraycopy(restore, 0, all, plan.length, restore.length);
        return all;
    }

    /** For a container restored from a checkpoint: ": " and the end of criu's log, which says why a start failed; else "". */
    static String restoreFailure(ContainerDir dir) {
        try {
            Map<String, String> meta = dir.readMeta();
            if (meta == null || !meta.containsKey(RESTORE)) {
                return "";
            }
        } catch (IOException e) {
            return "";
        }
        return ": " + Criu.logTail(dir.path().resolve(CriuRestore.LOG)) + Criu.said(readQuietly(dir.path().resolve(CriuRestore.OUT)));
    }

    private Path usableCriu(String what) {
        CheckpointSupport support = criu.support();
        Path binary = criu.binary();
        if (!support.available() || binary == null) {
            throw new CheckpointException(CheckpointException.Kind.UNAVAILABLE, "cannot " + what + " on this node: " + support.reason());
        }
        return binary;
    }

    private static String readQuietly(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, MAX_OUTPUT_READ), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
