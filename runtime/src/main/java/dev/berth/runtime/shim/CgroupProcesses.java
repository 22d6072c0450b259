package dev.berth.runtime.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The processes of a container's cgroups, for killing what its init left behind. */
final class CgroupProcesses {
    private CgroupProcesses() {}

    /**
     * SIGKILLs every process listed in the cgroups' {@code cgroup.procs} and, for up to
     * {@code wait}, repeats until they are empty (a process forking meanwhile is caught next round).
     */
    static void killAll(List<Path> cgroupDirs, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean any = false;
            for (Path dir : cgroupDirs) {
                for (long pid : pids(dir)) {
                    any = true;
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            if (!any || System.nanoTime() >= deadline) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static List<Long> pids(Path cgroupDir) {
        try {
            return Files.readAllLines(cgroupDir.resolve("cgroup.procs")).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of(); // a cgroup going away meanwhile
        }
    }
}
