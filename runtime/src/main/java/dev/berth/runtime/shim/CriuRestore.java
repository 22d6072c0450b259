package dev.berth.runtime.shim;

import dev.berth.runtime.oci.InvalidSpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The plan records that make a new container restore a checkpoint at start (restore.h in the
 * shim): {@code criu restore} into this container's rootfs, cgroups and pod namespaces.
 *
 * <p>Every host path criu is given comes from the new container's own plan (its rootfs, its bind
 * mounts' sources, its pod's namespaces), never from the checkpoint. The checkpoint's notes
 * ({@link DumpFacts}) only say which of those must be plugged in; a checkpoint whose external
 * mounts or namespaces the new container does not have is refused before anything runs.
 */
final class CriuRestore {
    static final String LOG = "restore.log";
    static final String PID_FILE = "restored.pid";
    static final String OUT = "restore.out";
    /** The shim puts the container's stdin, stdout and stderr on fds 3, 4, 5 of criu; namespaces follow. */
    private static final int FIRST_STDIO_FD = 3;
    private static final int NET_FD = 6;
    private static final int PID_FD = 7;

    private CriuRestore() {}

    static byte[] records(PlanRecords plan, Path imagesDir, Path stateDir, Path criu) throws InvalidSpecException {
        DumpFacts facts = DumpFacts.read(imagesDir);
        if (plan.has("terminal")) {
            throw new InvalidSpecException("a checkpoint restores into a container without terminal; process.terminal must be false");
        }
        Map<String, String> binds = new LinkedHashMap<>();
        plan.binds().forEach(b -> binds.put(b.destination(), b.source()));
        if (!new TreeSet<>(binds.keySet()).equals(new TreeSet<>(facts.mounts()))) {
            TreeSet<String> missing = new TreeSet<>(facts.mounts());
            missing.removeAll(binds.keySet());
            TreeSet<String> extra = new TreeSet<>(binds.keySet());
            facts.mounts().forEach(extra::remove);
            throw new InvalidSpecException("the checkpoint's container had bind mounts at " + facts.mounts()
                    + (missing.isEmpty() ? "" : "; the new container lacks " + missing)
                    + (extra.isEmpty() ? "" : "; the new container adds " + extra + ", which a restore cannot mount")
                    + ": give the new container the same mounts (volumes) as the checkpointed one");
        }
        Optional<String> net = plan.joinedNamespace("network");
        Optional<String> pid = plan.joinedNamespace("pid");
        requireSame("network", facts.externalNet(), net.isPresent());
        requireSame("PID", facts.externalPid(), pid.isPresent());

        List<String> argv = new ArrayList<>(List.of(criu.toString(), "restore", "--images-dir", imagesDir.toString(),
                "--work-dir", stateDir.toString(), "--log-file", LOG, "-v4", "--root", plan.rootfs(), "--restore-detached",
                "--pidfile", stateDir.resolve(PID_FILE).toString(), "--manage-cgroups=ignore", "--tcp-close", "--file-locks"));
        List<String> seen = new ArrayList<>();
        for (int fd = 0; fd < 3; fd++) {
            String key = facts.descriptors().get(fd);
            if (!seen.contains(key)) { // stdout and stderr as one pipe: the first fd stands for both
                seen.add(key);
                argv.add("--inherit-fd");
                argv.add("fd[" + (FIRST_STDIO_FD + fd) + "]:" + key);
            }
        }
        PlanBuilder records = new PlanBuilder();
        if (net.isPresent()) {
            argv.add("--inherit-fd");
            argv.add("fd[" + NET_FD + "]:" + CriuDump.NET_KEY);
            records.add("restore_fd", Integer.toString(NET_FD), net.get());
        }
        if (pid.isPresent()) {
            argv.add("--inherit-fd");
            argv.add("fd[" + PID_FD + "]:" + CriuDump.PID_KEY);
            records.add("restore_fd", Integer.toString(PID_FD), pid.get());
        }
        for (String type : List.of("ipc", "uts")) {
            Optional<String> joined = plan.joinedNamespace(type);
            if (joined.isPresent()) {
                argv.add("--join-ns");
                argv.add(type + ":" + joined.get());
            }
        }
        Optional<String> uts = plan.joinedNamespace("uts");
        if (uts.isPresent()) {
            // criu would write the old pod's hostname into the new pod's namespace: the shim makes the images say the new one
            List<String> names = new ArrayList<>(List.of(uts.get()));
            utsImages(imagesDir).forEach(p -> names.add(p.toString()));
            records.add("restore_uts", names);
        }
        binds.forEach((dest, source) -> {
            argv.add("--external");
            argv.add("mnt[" + dest + "]:" + source);
        });
        records.add("restore", argv);
        records.add("restore_pidfile", stateDir.resolve(PID_FILE).toString());
        records.add("restore_out", stateDir.resolve(OUT).toString());
        return records.bytes();
    }

    private static List<Path> utsImages(Path imagesDir) throws InvalidSpecException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(imagesDir)) {
            return files.filter(p -> p.getFileName().toString().matches("utsns-[0-9]{1,10}\\.img")
                    && java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (java.io.IOException e) {
            throw new InvalidSpecException("cannot list the checkpoint's images in " + imagesDir + ": " + e.getMessage());
        }
    }

    private static void requireSame(String type, boolean dumped, boolean joined) throws InvalidSpecException {
        if (dumped != joined) {
            throw new InvalidSpecException("the checkpoint's container " + (dumped ? "joined" : "did not join") + " its pod's " + type
                    + " namespace and the new container " + (joined ? "does" : "does not") + "; restore it into a pod like the original");
        }
    }
}
