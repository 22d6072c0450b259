package dev.berth.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.VersionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The berth command as a process: signals, exit codes and messages. */
class DaemonProcessTest {
    @TempDir
    Path dir;

    private BerthProcess daemon;

    @AfterEach
    void killLeftovers() {
        if (daemon != null) {
            daemon.process.destroyForcibly();
        }
    }

    private Path socket() {
        return dir.resolve("state/berth.sock");
    }

    /**
     * A config that keeps the daemon's CNI config dir and registry host configs in the temp dir
     * (netns and cache dirs and the image store follow --state and --root).
     */
    private Path configFile() throws Exception {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, "[cni]\nconf_dirs = [\"" + dir.resolve("cni/net.d") + "\"]\nwrite_default_config = false\n"
                + "[image]\nconfig_path = \"" + dir.resolve("certs.d") + "\"\n");
        return file;
    }

    private BerthProcess startDaemon() throws Exception {
        BerthProcess process = BerthProcess.start(dir, "daemon", "--config", configFile().toString(),
                "--root", dir.resolve("root").toString(),
                "--state", dir.resolve("state").toString(), "--socket", socket().toString(),
                "--metrics-address", "127.0.0.1:0", "--cgroup-driver", "cgroupfs");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.process.isAlive()) {
                throw new AssertionError("daemon exited early: " + process.stderr());
            }
            if (Files.exists(socket()) && answers()) {
                return process;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("daemon never answered on " + socket() + ": " + process.stderr());
    }

    private boolean answers() throws InterruptedException {
        try (CriChannels client = new CriChannels(socket())) {
            RuntimeServiceGrpc.newBlockingStub(client.channel()).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .version(VersionRequest.getDefaultInstance());
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            return false;
        }
    }

    @Test
    void sigtermStopsGracefullyAndRemovesTheSocket() throws Exception {
        daemon = startDaemon();
        daemon.process.destroy(); // SIGTERM
        daemon.waitFor();
        assertFalse(Files.exists(socket()), "socket removed");
        assertFalse(Files.exists(dir.resolve("state/berth.pid")), "pid file removed");
        String log = daemon.stderr();
        assertTrue(log.contains("stopping: letting calls in flight finish") && log.contains("stopped"), log);
    }

    @Test
    void secondDaemonExitsWithAClearMessageAndTheFirstKeepsServing() throws Exception {
        daemon = startDaemon();
        BerthProcess second = BerthProcess.start(dir, "daemon", "--config", configFile().toString(),
                "--root", dir.resolve("root").toString(),
                "--state", dir.resolve("state").toString(), "--socket", socket().toString(),
                "--metrics-address", "127.0.0.1:0");
        assertEquals(1, second.waitFor());
        assertTrue(second.stderr().contains("another Berth daemon (pid " + daemon.process.pid() + ") is serving " + socket()),
                second.stderr());
        assertTrue(answers(), "the first daemon still answers");
    }

    @Test
    void versionCommandAsksTheRunningDaemon() throws Exception {
        daemon = startDaemon();
        BerthProcess version = BerthProcess.start(dir, "version", "--socket", socket().toString());
        assertEquals(0, version.waitFor(), version.stderr());
        assertTrue(version.stdout().contains("RuntimeName:  berth"), version.stdout());
        assertTrue(version.stdout().contains("RuntimeApiVersion:  v1"), version.stdout());
    }

    @Test
    void versionCommandSaysWhenNoDaemonAnswers() throws Exception {
        BerthProcess version = BerthProcess.start(dir, "version", "--socket", dir.resolve("none.sock").toString());
        assertEquals(3, version.waitFor());
        assertTrue(version.stderr().contains("no answer from the daemon on " + dir.resolve("none.sock")), version.stderr());
    }

    @Test
    void unknownConfigKeyStopsTheDaemonNamingFileLineAndKey() throws Exception {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, "root = \"" + dir.resolve("root") + "\"\nlogLevel = \"debug\"\n");
        BerthProcess bad = BerthProcess.start(dir, "daemon", "--config", file.toString(), "--socket", socket().toString());
        assertEquals(2, bad.waitFor());
        assertTrue(bad.stderr().contains(file + ":2: unknown key \"logLevel\""), bad.stderr());
        assertFalse(Files.exists(socket()));
    }

    @Test
    void badFlagValueStopsTheDaemon() throws Exception {
        BerthProcess bad = BerthProcess.start(dir, "daemon", "--config", dir.resolve("none.toml").toString());
        assertEquals(2, bad.waitFor());
        assertTrue(bad.stderr().contains("none.toml: config file not found"), bad.stderr());
    }

    @Test
    void configDefaultPrintsEveryKeyWithComments() throws Exception {
        BerthProcess print = BerthProcess.start(dir, "config", "default");
        assertEquals(0, print.waitFor(), print.stderr());
        String out = print.stdout();
        for (String key : new String[] {"root = \"/var/lib/berth\"", "state = \"/run/berth\"", "log_level = \"info\"",
                "[grpc]", "socket = \"/run/berth/berth.sock\"", "[metrics]", "address = \"127.0.0.1:9097\"", "[cgroup]",
                "[cni]", "conf_dirs = [\"/etc/cni/net.d\"]", "[cni.default_network]"}) {
            assertTrue(out.contains(key), "missing " + key + " in\n" + out);
        }
    }
}
