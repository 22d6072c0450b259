package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.oci.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore records from a plan and a checkpoint's notes, and the refusal of notes that are not what Berth writes. */
class CriuRestoreTest {
    @TempDir
    Path dir;

    private static final Path CRIU = Path.of("/usr/sbin/criu");

    private byte[] plan() {
        return new PlanBuilder().add("version", "1").add("ns", "mount", "").add("ns", "network", "/run/netns/pod")
                .add("ns", "ipc", "/proc/10/ns/ipc").add("ns", "uts", "/proc/10/ns/uts").add("ns", "pid", "")
                .add("rootfs", "/run/berth/containers/new/rootfs")
                .add("mount", "/proc", "proc", "proc", "0xe", "0x0", "")
                .add("mount", "/etc/hosts", "bind", "/var/lib/berth/sandboxes/newpod/hosts", "0x5000", "0x44000", "")
                .add("mount", "/data", "bind", "/srv/volume", "0x5000", "0x0", "")
                .add("cgroup", "/sys/fs/cgroup/memory/new").bytes();
    }

    private Path notes(String descriptors, String external) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.writeString(images.resolve("descriptors.json"), descriptors);
        Files.writeString(images.resolve("external.json"), external);
        return images;
    }

    private static final String GOOD_FDS = "[\"file[18:3]\",\"pipe:[100]\",\"pipe:[101]\"]";

    @Test
    void criuGetsTheNewContainersRootMountsAndPodNamespacesNeverThePathsOfTheCheckpoint() throws Exception {
        Path images = notes(GOOD_FDS, "{\"net\":true,\"pid\":false,\"mounts\":[\"/etc/hosts\",\"/data\"]}");
        Files.write(images.resolve("utsns-12.img"), new byte[20]);
        PlanRecords records = PlanRecords.parse(CriuRestore.records(PlanRecords.parse(plan()), images, dir.resolve("state"), CRIU));

        List<String> argv = records.first("restore").orElseThrow().args();
        assertEquals(CRIU.toString(), argv.getFirst());
        String joined = String.join(" ", argv);
        assertTrue(joined.contains("--root /run/berth/containers/new/rootfs"), joined);
        assertTrue(joined.contains("--inherit-fd fd[3]:file[18:3] --inherit-fd fd[4]:pipe:[100] --inherit-fd fd[5]:pipe:[101]"), joined);
        assertTrue(joined.contains("--inherit-fd fd[6]:extRootNetNS"), joined);
        assertTrue(joined.contains("--join-ns ipc:/proc/10/ns/ipc --join-ns uts:/proc/10/ns/uts"), joined);
        assertTrue(joined.contains("--external mnt[/etc/hosts]:/var/lib/berth/sandboxes/newpod/hosts --external mnt[/data]:/srv/volume"), joined);
        assertEquals(List.of(List.of("6", "/run/netns/pod")), records.all("restore_fd").stream().map(PlanRecords.Entry::args).toList());
        assertEquals(dir.resolve("state/restored.pid").toString(), records.first("restore_pidfile").orElseThrow().arg(0));
        assertEquals(List.of("/proc/10/ns/uts", images.resolve("utsns-12.img").toString()),
                records.first("restore_uts").orElseThrow().args(), "the pod's hostname is kept, not the checkpoint's");
    }

    @Test
    void aMountTheCheckpointHadAndTheNewContainerLacksIsRefused() throws Exception {
        Path images = notes(GOOD_FDS, "{\"net\":true,\"pid\":false,\"mounts\":[\"/etc/hosts\",\"/data\",\"/secret\"]}");
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU));
        assertTrue(e.getMessage().contains("the new container lacks [/secret]"), e.getMessage());
    }

    @Test
    void aNamespaceMismatchIsRefused() throws Exception {
        Path images = notes(GOOD_FDS, "{\"net\":true,\"pid\":true,\"mounts\":[\"/etc/hosts\",\"/data\"]}");
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU));
        assertTrue(e.getMessage().contains("joined its pod's PID namespace"), e.getMessage());
    }

    @Test
    void descriptorsOtherThanPipesAndFilesAreRefused() throws Exception {
        for (String fds : List.of("[\"/etc/shadow\",\"pipe:[1]\",\"pipe:[2]\"]", "[\"pipe:[1]\",\"pipe:[2]\"]",
                "[\"pipe:[1] --root /\",\"pipe:[1]\",\"pipe:[2]\"]", "{\"0\":\"pipe:[1]\"}", "not json")) {
            Path images = notes(fds, "{\"net\":true,\"pid\":false,\"mounts\":[\"/etc/hosts\",\"/data\"]}");
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU), fds);
            assertTrue(e.getMessage().startsWith("checkpoint descriptors.json"), e.getMessage());
        }
    }

    @Test
    void mountNamesThatAreNotCleanAbsolutePathsAreRefused() throws Exception {
        for (String mount : List.of("etc/hosts", "/etc/../../host", "/data]:/", "/a//b", "/x\\n")) {
            Path images = notes(GOOD_FDS, "{\"net\":true,\"pid\":false,\"mounts\":[\"" + mount + "\"]}");
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU), mount);
            assertTrue(e.getMessage().startsWith("checkpoint external.json"), e.getMessage());
        }
    }

    @Test
    void oversizeOrMissingNotesAreRefused() throws Exception {
        Path images = notes(GOOD_FDS, " ".repeat(70_000));
        assertTrue(assertThrows(InvalidSpecException.class, () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU))
                .getMessage().contains("larger than"));
        Files.delete(images.resolve("descriptors.json"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU))
                .getMessage().contains("descriptors.json is missing"));
        Files.createSymbolicLink(images.resolve("descriptors.json"), Path.of("/etc/passwd"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> CriuRestore.records(PlanRecords.parse(plan()), images, dir, CRIU))
                .getMessage().contains("not a regular file"));
    }
}
