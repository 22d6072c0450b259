package dev.berth.runtime.shim;

import dev.berth.runtime.CheckpointException;
import dev.berth.runtime.CheckpointRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code criu dump} of a running container's process tree, as runc and crun drive it: the tree
 * of the init, left running; its pod's network and PID namespaces and every bind mount (pod
 * files, volumes, v1 cgroup hierarchies) marked external, so a restore plugs in the new pod's;
 * the init's stdio (pipes to its shim, /dev/null) recorded for the restore to reconnect.
 *
 * <p>Order: freeze the cgroup, dump (CRIU leaves a frozen cgroup frozen), run the caller's
 * step (the writable layer's export), thaw. The container never notices more than a pause.
 */
final class CriuDump {
    static final String NET_KEY = "extRootNetNS";
    static final String PID_KEY = "extRootPidNS";
    static final String LOG = "dump.log";

    private CriuDump() {}

    static void run(Criu criu, Path binary, PlanRecords plan, long pid, CheckpointRequest request, Clock clock) {
        if (plan.has("terminal")) {
            throw new CheckpointException(CheckpointException.Kind.NOT_CHECKPOINTABLE,
                    "the container has a terminal; Berth checkpoints only containers without tty");
        }
        Instant deadline = clock.instant().plus(request.timeout());
        List<String> args = new ArrayList<>(List.of("dump", "--tree", Long.toString(pid), "--images-dir", request.imagesDir().toString(),
                "--work-dir", request.workDir().toString(), "--log-file", LOG, "-v4", "--root", plan.rootfs(), "--leave-running",
                "--tcp-established", "--file-locks"));
        List<String> descriptors = new ArrayList<>();
        for (int fd = 0; fd <= 2; fd++) {
            String key = StdioKey.of(pid, fd);
            descriptors.add(key);
            if (key.startsWith("file[")) {
                args.add("--external");
                args.add(key); // a file of the host (the shim's /dev/null), outside the container's mounts
            }
        }
        Optional<String> net = plan.joinedNamespace("network");
        Optional<String> pidNs = plan.joinedNamespace("pid");
        if (net.isPresent()) {
            args.add("--external");
            args.add("net[" + inode(net.get()) + "]:" + NET_KEY);
        }
        if (pidNs.isPresent()) {
            args.add("--external");
            args.add("pid[" + inode(pidNs.get()) + "]:" + PID_KEY);
        }
        List<String> mounts = new ArrayList<>();
        for (PlanRecords.Bind bind : plan.binds()) {
            if (!DumpFacts.cleanAbsolute(bind.destination())) {
                throw new CheckpointException(CheckpointException.Kind.NOT_CHECKPOINTABLE,
                        "the mount at " + bind.destination() + " has a path CRIU cannot name");
            }
            mounts.add(bind.destination());
            args.add("--external");
            args.add("mnt[" + bind.destination() + "]:" + bind.destination());
        }
        try {
            new DumpFacts(descriptors, net.isPresent(), pidNs.isPresent(), mounts).write(request.imagesDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint's notes in " + request.imagesDir(), e);
        }
        Optional<Freezer> freezer = Freezer.of(plan.cgroupDirs());
        if (freezer.isPresent()) {
            args.add("--freeze-cgroup");
            args.add(freezer.get().dir().toString());
        }
        try {
            if (freezer.isPresent() && !freezer.get().freeze(clock, deadline)) {
                throw new CheckpointException(CheckpointException.Kind.TIMEOUT, "the container did not freeze within "
                        + request.timeout().toSeconds() + " s; it keeps running");
            }
            Duration left = Duration.between(clock.instant(), deadline);
            Criu.Result result = criu.run(binary, args, left.isNegative() ? Duration.ZERO : left);
            if (result.exitCode() == -1) {
                throw new CheckpointException(CheckpointException.Kind.TIMEOUT, "criu dump took longer than "
                        + request.timeout().toSeconds() + " s and was stopped; the container keeps running");
            }
            if (!result.ok()) {
                throw new CheckpointException(CheckpointException.Kind.FAILED, "criu dump failed (exit code " + result.exitCode()
                        + "): " + Criu.logTail(request.workDir().resolve(LOG)) + Criu.said(result.output()));
            }
            request.whileFrozen().run();
        } finally {
            freezer.ifPresent(Freezer::thaw);
        }
    }

    private static long inode(String path) {
        try {
            return (Long) Files.getAttribute(Path.of(path), "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat namespace " + path, e);
        }
    }

    /** How CRIU names what one of the init's stdio fds points to. */
    static final class StdioKey {
        private StdioKey() {}

        static String of(long pid, int fd) {
            Path link = Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd));
            try {
                String target = Files.readSymbolicLink(link).toString();
                if (target.startsWith("pipe:[")) {
                    return target;
                }
                if (!target.startsWith("/")) {
                    throw new CheckpointException(CheckpointException.Kind.NOT_CHECKPOINTABLE,
                            "the init's fd " + fd + " is " + target + "; Berth restores only pipes and files as stdio");
                }
                long inode = (Long) Files.getAttribute(link, "unix:ino");
                long mountId = Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(fd))).stream()
                        .filter(l -> l.startsWith("mnt_id:")).map(l -> Long.parseLong(l.substring(7).strip())).findFirst()
                        .orElseThrow(() -> new IOException("no mnt_id in fdinfo"));
                return "file[" + Long.toHexString(mountId) + ":" + Long.toHexString(inode) + "]";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read fd " + fd + " of process " + pid, e);
            }
        }
    }
}
