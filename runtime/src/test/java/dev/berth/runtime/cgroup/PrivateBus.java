package dev.berth.runtime.cgroup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A private D-Bus bus for tests: the reference dbus-daemon (Debian's dbus-daemon package, as on
 * systemd hosts) with the session bus policy, listening on a unix socket in a test directory.
 */
final class PrivateBus implements AutoCloseable {
    static final Path DBUS_DAEMON = Path.of("/usr/bin/dbus-daemon");

    private final Process process;
    private final String address;

    private PrivateBus(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    static boolean available() {
        return Files.isExecutable(DBUS_DAEMON);
    }

    /** Starts the bus; returns once dbus-daemon listens (it prints its address only then). */
    static PrivateBus start(Path dir) throws IOException {
        Process process = new ProcessBuilder(DBUS_DAEMON.toString(), "--session", "--nofork", "--nopidfile",
                "--address=unix:path=" + dir.resolve("bus"), "--print-address=1")
                .redirectError(dir.resolve("dbus-daemon.err").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String address = out.readLine();
        if (address == null || !address.startsWith("unix:")) {
            process.destroyForcibly();
            throw new IOException("dbus-daemon did not start: " + Files.readString(dir.resolve("dbus-daemon.err")));
        }
        return new PrivateBus(process, address.strip());
    }

    /** The bus address clients connect to (unix:path=...,guid=...). */
    String address() {
        return address;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
