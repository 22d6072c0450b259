package dev.berth.runtime.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.ContainerState;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.ExitStatus;
import dev.berth.runtime.RuntimeFailureException;
import dev.berth.runtime.oci.InvalidSpecException;
import dev.berth.runtime.oci.Spec;
import dev.berth.runtime.oci.SpecFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real containers through the runtime seam: namespaces, mounts, security, exits, logs, exec. */
@Tag("root")
class ShimRuntimeRootTest {
    @TempDir
    Path dir;

    private ShimRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates namespaces and mounts");
        Assumptions.assumeTrue(TestBundles.busyboxIsStatic(), "needs Debian's busybox-static at /bin/busybox for the test rootfs");
        runtime = ShimRuntime.open(dir.resolve("state"), CgroupPlacement.none(), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.list().forEach(c -> runtime.delete(c.id(), true));
        }
    }

    private ExitStatus run(String id, String script) throws Exception {
        Path bundle = TestBundles.bundle(dir, id, List.of("sh", "-c", script));
        runtime.create(id, bundle, new CreateOptions(dir.resolve(id + ".log"), false));
        runtime.start(id);
        return runtime.exit(id).get(20, TimeUnit.SECONDS);
    }

    private List<String> logContents(String id) throws Exception {
        return Files.readAllLines(dir.resolve(id + ".log")).stream().map(line -> line.split(" ", 4)[3]).toList();
    }

    @Test
    void createWaitsForStartThenRunsAndRecordsTheExitCode() throws Exception {
        Path bundle = TestBundles.bundle(dir, "c1", List.of("sh", "-c", "exit 7"));
        ContainerState created = runtime.create("c1", bundle, CreateOptions.defaults());
        assertEquals(ContainerStatus.CREATED, created.status());
        assertTrue(created.pid() > 0);
        assertTrue(Files.exists(Path.of("/proc/" + created.pid())), "the init exists, waiting");
        runtime.start("c1");
        ExitStatus exit = runtime.exit("c1").get(20, TimeUnit.SECONDS);
        assertEquals(7, exit.code());
        assertEquals(0, exit.signal());
        ContainerState stopped = runtime.state("c1");
        assertEquals(ContainerStatus.STOPPED, stopped.status());
        assertEquals(7, stopped.exit().code());
        runtime.delete("c1", false);
        assertEquals(List.of(), runtime.list());
    }

    @Test
    void stdoutAndStderrAreWrittenInTheCriLogFormat() throws Exception {
        run("log1", "echo one; echo two >&2; printf 'no newline'");
        List<String> lines = Files.readAllLines(dir.resolve("log1.log"));
        assertEquals(3, lines.size(), lines.toString());
        String ts = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z";
        assertTrue(lines.get(0).matches(ts + " stdout F one"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches(ts + " stderr F two")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(ts + " stdout F no newline")), lines.toString());
    }

    @Test
    void longLinesAreSplitIntoPartialEntries() throws Exception {
        run("long", "head -c 40000 /dev/zero | tr '\\0' x; echo");
        List<String> lines = Files.readAllLines(dir.resolve("long.log"));
        assertEquals(3, lines.size());
        assertEquals("P", lines.get(0).split(" ")[2]);
        assertEquals(16384, lines.get(0).split(" ", 4)[3].length());
        assertEquals("P", lines.get(1).split(" ")[2]);
        assertEquals("F", lines.get(2).split(" ")[2]);
        assertEquals(40000 - 2 * 16384, lines.get(2).split(" ", 4)[3].length());
    }

    @Test
    void killBySignalReportsTheSignalAndCode137() throws Exception {
        Path bundle = TestBundles.bundle(dir, "k", List.of("sleep", "1000"));
        runtime.create("k", bundle, CreateOptions.defaults());
        runtime.start("k");
        assertEquals(ContainerStatus.RUNNING, runtime.state("k").status());
        runtime.kill("k", 9);
        ExitStatus exit = runtime.exit("k").get(20, TimeUnit.SECONDS);
        assertEquals(137, exit.code());
        assertEquals(9, exit.signal());
    }

    @Test
    void securitySettingsAreInForceInsideTheContainer() throws Exception {
        run("sec", "grep -E '^(CapEff|CapBnd|CapPrm|NoNewPrivs)' /proc/self/status; id; hostname; ulimit -n; cat /proc/self/uid_map");
        List<String> out = logContents("sec");
        long expected = 0;
        for (String cap : TestBundles.DEFAULT_CAPS) {
            expected |= 1L << List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
                    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
                    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
                    "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
                    "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
                    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP").indexOf(cap);
        }
        String mask = String.format("%016x", expected);
        assertTrue(out.contains("CapEff:\t" + mask), out.toString());
        assertTrue(out.contains("CapBnd:\t" + mask), out.toString());
        assertTrue(out.contains("NoNewPrivs:\t1"), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.equals("uid=0(root) gid=0(root) groups=10")), out.toString());
        assertTrue(out.contains("berth-test"), out.toString());
        assertTrue(out.contains("1024"), "RLIMIT_NOFILE: " + out);
    }

    @Test
    void userGroupsAndWorkingDirectoryApply() throws Exception {
        Path bundle = TestBundles.bundle(dir, "u", List.of("sh", "-c", "id; pwd"));
        Spec spec = SpecFiles.read(bundle);
        Spec.Process p = spec.process();
        SpecFiles.write(bundle, new Spec(spec.ociVersion(), new Spec.Process(p.terminal(), new Spec.User(65534L, 65534L, null, List.of(5L)),
                p.args(), p.env(), "/tmp", p.capabilities(), p.rlimits(), p.noNewPrivileges(), null, null, null),
                spec.root(), spec.hostname(), null, spec.mounts(), spec.annotations(), spec.linux()));
        runtime.create("u", bundle, new CreateOptions(dir.resolve("u.log"), false));
        runtime.start("u");
        runtime.exit("u").get(20, TimeUnit.SECONDS);
        List<String> out = logContents("u");
        assertTrue(out.get(0).startsWith("uid=65534(nobody) gid=65534(nogroup) groups=5"), out.toString());
        assertEquals("/tmp", out.get(1));
    }

    @Test
    void maskedPathsAreUnreadableAndReadonlyPathsUnwritable() throws Exception {
        ExitStatus exit = run("mask", "cat /proc/keys | wc -c; ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/ns_last_pid && echo WROTE;"
                + " touch /sys/x 2>/dev/null || echo SYS-RO; grep ' / ' /proc/self/mountinfo | head -1; exit 0");
        assertEquals(0, exit.code());
        List<String> out = logContents("mask");
        assertEquals("0", out.get(0).strip(), "/proc/keys masked by /dev/null: " + out);
        assertEquals("0", out.get(1).strip(), "/sys/firmware masked by an empty tmpfs: " + out);
        assertFalse(out.contains("WROTE"), "/proc/sys is read-only: " + out);
        assertTrue(out.contains("SYS-RO"), out.toString());
    }

    @Test
    void seccompProfileIsEnforced() throws Exception {
        Path bundle = TestBundles.bundle(dir, "sc", List.of("sh", "-c", "grep '^Seccomp:' /proc/self/status; mkdir /tmp/blocked || echo DENIED"));
        Spec spec = SpecFiles.read(bundle);
        Spec.Seccomp profile = new Spec.Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"),
                List.of(new Spec.Syscall(List.of("mkdir", "mkdirat"), "SCMP_ACT_ERRNO", 1, null)));
        Spec.Linux l = spec.linux();
        SpecFiles.write(bundle, new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), null, spec.mounts(), null,
                new Spec.Linux(l.namespaces(), null, null, null, l.cgroupsPath(), null, null, profile, null, l.maskedPaths(),
                        l.readonlyPaths(), null)));
        runtime.create("sc", bundle, new CreateOptions(dir.resolve("sc.log"), false));
        runtime.start("sc");
        runtime.exit("sc").get(20, TimeUnit.SECONDS);
        List<String> out = logContents("sc");
        assertTrue(out.contains("Seccomp:\t2"), out.toString());
        assertTrue(out.contains("DENIED"), out.toString());
    }

    @Test
    void execRunsInsideTheRunningContainerWithItsOwnExitCode() throws Exception {
        Path bundle = TestBundles.bundle(dir, "ex", List.of("sleep", "1000"));
        runtime.create("ex", bundle, CreateOptions.defaults());
        runtime.start("ex");
        Spec.Process base = SpecFiles.read(bundle).process();
        ExecResult hello = runtime.execSync("ex", withArgs(base, "sh", "-c", "hostname; echo err >&2; cat /proc/1/cmdline"),
                Duration.ofSeconds(20), 1 << 20);
        assertEquals(0, hello.exitCode());
        assertEquals("berth-test\nsleep1000", new String(hello.stdout(), StandardCharsets.UTF_8).replace("\0", "").strip());
        assertEquals("err\n", new String(hello.stderr(), StandardCharsets.UTF_8));
        assertEquals(3, runtime.execSync("ex", withArgs(base, "sh", "-c", "exit 3"), Duration.ofSeconds(20), 1024).exitCode());
        RuntimeFailureException missing = assertThrows(RuntimeFailureException.class,
                () -> runtime.execSync("ex", withArgs(base, "no-such-program"), Duration.ofSeconds(20), 1024));
        assertTrue(missing.getMessage().contains("executable file not found"), missing.getMessage());
    }

    @Test
    void execTimeoutKillsTheProcess() throws Exception {
        Path bundle = TestBundles.bundle(dir, "to", List.of("sleep", "1000"));
        runtime.create("to", bundle, CreateOptions.defaults());
        runtime.start("to");
        Spec.Process base = SpecFiles.read(bundle).process();
        ExecResult slow = runtime.execSync("to", withArgs(base, "sleep", "777"), Duration.ofMillis(500), 1024);
        assertTrue(slow.timedOut());
        Thread.sleep(300);
        ExecResult ps = runtime.execSync("to", withArgs(base, "ps"), Duration.ofSeconds(20), 1 << 16);
        assertFalse(new String(ps.stdout(), StandardCharsets.UTF_8).contains("777"), "the timed-out exec was killed");
    }

    @Test
    void execOutputIsBounded() throws Exception {
        Path bundle = TestBundles.bundle(dir, "big", List.of("sleep", "1000"));
        runtime.create("big", bundle, CreateOptions.defaults());
        runtime.start("big");
        Spec.Process base = SpecFiles.read(bundle).process();
        ExecResult r = runtime.execSync("big", withArgs(base, "head", "-c", "300000", "/dev/zero"), Duration.ofSeconds(20), 1000);
        assertEquals(0, r.exitCode());
        assertEquals(1000, r.stdout().length);
    }

    @Test
    void pauseModeHoldsTheNamespacesUntilTerm() throws Exception {
        Path bundle = TestBundles.bundle(dir, "pause", List.of());
        runtime.create("pause", bundle, new CreateOptions(null, true));
        runtime.start("pause");
        assertEquals(ContainerStatus.RUNNING, runtime.state("pause").status());
        runtime.kill("pause", 15);
        assertEquals(0, runtime.exit("pause").get(20, TimeUnit.SECONDS).code());
    }

    @Test
    void aNewRuntimeInstanceFindsRunningAndExitedContainers() throws Exception {
        Path bundle = TestBundles.bundle(dir, "r1", List.of("sleep", "1000"));
        runtime.create("r1", bundle, CreateOptions.defaults());
        runtime.start("r1");
        run("r2", "exit 4");
        ShimRuntime again = ShimRuntime.open(dir.resolve("state"), CgroupPlacement.none(), Clock.systemUTC());
        assertEquals(ContainerStatus.RUNNING, again.state("r1").status());
        assertEquals(4, again.state("r2").exit().code());
        again.kill("r1", 9);
        assertEquals(137, again.exit("r1").get(20, TimeUnit.SECONDS).code());
    }

    @Test
    void deleteRefusesARunningContainerUnlessForced() throws Exception {
        Path bundle = TestBundles.bundle(dir, "d", List.of("sleep", "1000"));
        runtime.create("d", bundle, CreateOptions.defaults());
        runtime.start("d");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runtime.delete("d", false));
        assertTrue(e.getMessage().contains("container d is running"), e.getMessage());
        long pid = runtime.state("d").pid();
        runtime.delete("d", true);
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "the container was killed");
        assertFalse(Files.exists(dir.resolve("state/d")));
        runtime.delete("d", false); // gone: a no-op
    }

    @Test
    void badBundlesFailClearlyAndLeaveNothingBehind() throws Exception {
        Path noRootfs = TestBundles.bundle(dir, "b1", List.of("true"));
        Spec spec = SpecFiles.read(noRootfs);
        SpecFiles.write(noRootfs, new Spec(spec.ociVersion(), spec.process(), new Spec.Root(dir.resolve("missing").toString(), false),
                spec.hostname(), null, spec.mounts(), null, spec.linux()));
        InvalidSpecException e1 = assertThrows(InvalidSpecException.class, () -> runtime.create("b1", noRootfs, CreateOptions.defaults()));
        assertTrue(e1.getMessage().contains("does not exist"), e1.getMessage());

        Path badJson = dir.resolve("b2");
        Files.createDirectories(badJson);
        Files.writeString(badJson.resolve("config.json"), "{\"process\": [}");
        InvalidSpecException e2 = assertThrows(InvalidSpecException.class, () -> runtime.create("b2", badJson, CreateOptions.defaults()));
        assertTrue(e2.getMessage().contains("config.json is not a valid OCI config"), e2.getMessage());

        Path badNs = TestBundles.bundle(dir, "b3", List.of("true"));
        Spec s3 = SpecFiles.read(badNs);
        Spec.Linux l = s3.linux();
        SpecFiles.write(badNs, new Spec(s3.ociVersion(), s3.process(), s3.root(), s3.hostname(), null, s3.mounts(), null,
                new Spec.Linux(List.of(new Spec.Namespace("time-travel", null)), null, null, null, null, null, null, null, null,
                        null, null, null)));
        InvalidSpecException e3 = assertThrows(InvalidSpecException.class, () -> runtime.create("b3", badNs, CreateOptions.defaults()));
        assertTrue(e3.getMessage().contains("unknown namespace type \"time-travel\""), e3.getMessage());

        // A symlink in the image that climbs out of the rootfs must not let a mount land on the host.
        Path outside = dir.resolve("outside");
        Files.createDirectories(outside);
        Path escape = TestBundles.bundle(dir, "b4", List.of("true"));
        Files.createSymbolicLink(dir.resolve("rootfs/escape"), Path.of("../../../../../../../../" + outside));
        Spec s4 = SpecFiles.read(escape);
        List<Spec.Mount> mounts = new java.util.ArrayList<>(s4.mounts());
        mounts.add(new Spec.Mount("/escape/x", "tmpfs", "tmpfs", List.of()));
        SpecFiles.write(escape, new Spec(s4.ociVersion(), s4.process(), s4.root(), s4.hostname(), null, mounts, null, s4.linux()));
        RuntimeFailureException e4 = assertThrows(RuntimeFailureException.class, () -> runtime.create("b4", escape, CreateOptions.defaults()));
        assertTrue(e4.getMessage().contains("/escape/x") && e4.getMessage().contains("outside the container's root"), e4.getMessage());
        assertFalse(Files.exists(outside.resolve("x")), "nothing was created outside the rootfs");

        assertEquals(List.of(), runtime.list(), "no container state is left behind");
        try (var left = Files.list(dir.resolve("state"))) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void logReopenAfterRotationLosesNoLine() throws Exception {
        Path bundle = TestBundles.bundle(dir, "rot", List.of("sh", "-c",
                "i=0; while [ $i -lt 40 ]; do echo line $i; i=$((i+1)); sleep 0.05; done"));
        Path log = dir.resolve("rot.log");
        runtime.create("rot", bundle, new CreateOptions(log, false));
        runtime.start("rot");
        Thread.sleep(700);
        Files.move(log, dir.resolve("rot.log.1")); // what kubelet's rotation does
        runtime.reopenLog("rot");
        runtime.exit("rot").get(20, TimeUnit.SECONDS);
        List<String> before = Files.readAllLines(dir.resolve("rot.log.1"));
        List<String> after = Files.readAllLines(log);
        assertFalse(before.isEmpty());
        assertFalse(after.isEmpty(), "lines after the reopen go to the new file");
        List<String> all = new java.util.ArrayList<>();
        before.forEach(l -> all.add(l.split(" ", 4)[3]));
        after.forEach(l -> all.add(l.split(" ", 4)[3]));
        assertEquals(java.util.stream.IntStream.range(0, 40).mapToObj(i -> "line " + i).toList(), all);
    }

    @Test
    void manyContainersRunAtOnce() throws Exception {
        int count = 20;
        for (int i = 0; i < count; i++) {
            Path bundle = TestBundles.bundle(dir, "m" + i, List.of("sh", "-c", "sleep 0.5; echo I am " + i));
            runtime.create("m" + i, bundle, new CreateOptions(dir.resolve("m" + i + ".log"), false));
        }
        for (int i = 0; i < count; i++) {
            runtime.start("m" + i);
        }
        assertEquals(count, runtime.list().stream().filter(c -> c.status() == ContainerStatus.RUNNING).count());
        for (int i = 0; i < count; i++) {
            assertEquals(0, runtime.exit("m" + i).get(30, TimeUnit.SECONDS).code());
            assertEquals(List.of("I am " + i), logContents("m" + i));
        }
    }

    private static Spec.Process withArgs(Spec.Process p, String... args) {
        return new Spec.Process(false, p.user(), List.of(args), p.env(), "/", p.capabilities(), null, p.noNewPrivileges(), null, null, null);
    }
}
