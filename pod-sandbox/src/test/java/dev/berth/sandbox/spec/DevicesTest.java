package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.Device;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
    @TempDir
    Path dir;

    private static Device device(String host, String container, String permissions) {
        return Device.newBuilder().setHostPath(host).setContainerPath(container).setPermissions(permissions).build();
    }

    @Test
    void aRequestedDeviceIsReadFromTheHostNode() {
        List<Spec.Device> devices = Devices.forContainer(List.of(device("/dev/null", "/dev/mynull", "rwm")), false, Path.of("/dev"));
        assertEquals(List.of(new Spec.Device("c", "/dev/mynull", 1L, 3L, 0666, 0L, 0L)), devices);
    }

    @Test
    void anEmptyContainerPathMeansTheHostPath() {
        Spec.Device zero = Devices.forContainer(List.of(device("/dev/zero", "", "r")), false, Path.of("/dev")).getFirst();
        assertEquals("/dev/zero", zero.path());
        assertEquals(5L, zero.minor());
    }

    @Test
    void aDirectoryGivesTheDevicesBelowIt() throws IOException {
        Path devs = Files.createDirectories(dir.resolve("devs"));
        Path link = Files.createSymbolicLink(devs.resolve("null"), Path.of("/dev/null")); // lstat: a symlink is no device
        Files.writeString(devs.resolve("file"), "not a device");
        try {
            assertEquals(List.of(), Devices.forContainer(List.of(device(devs.toString(), "/dev/x", "rw")), false, Path.of("/dev")));
        } finally {
            Files.delete(link); // @TempDir warns about links that leave it
        }
    }

    @Test
    void missingOrNonDeviceNodesAreErrors() throws IOException {
        SpecException missing = assertThrows(SpecException.class,
                () -> Devices.forContainer(List.of(device("/dev/berth-no-such-device", "/dev/x", "rw")), false, Path.of("/dev")));
        assertTrue(missing.getMessage().contains("devices[0]") && missing.getMessage().contains("no such device"), missing.getMessage());
        Path file = Files.writeString(dir.resolve("plain"), "x");
        SpecException plain = assertThrows(SpecException.class,
                () -> Devices.forContainer(List.of(device(file.toString(), "/dev/x", "rw")), false, Path.of("/dev")));
        assertTrue(plain.getMessage().contains("not a device node"), plain.getMessage());
    }

    @Test
    void permissionsMayOnlyBeRwm() {
        SpecException e = assertThrows(SpecException.class,
                () -> Devices.forContainer(List.of(device("/dev/null", "/dev/null", "rwx")), false, Path.of("/dev")));
        assertTrue(e.getMessage().contains("permissions \"rwx\""), e.getMessage());
    }

    @Test
    void privilegedContainersGetTheHostDevicesAndTheRequestWinsAtTheSamePath() {
        List<Spec.Device> devices = Devices.forContainer(List.of(device("/dev/zero", "/dev/null", "rw")), true, Path.of("/dev"));
        assertTrue(devices.stream().anyMatch(d -> d.path().equals("/dev/zero") && d.minor() == 5L), devices.toString());
        Spec.Device atNull = devices.stream().filter(d -> d.path().equals("/dev/null")).findFirst().orElseThrow();
        assertEquals(5L, atNull.minor());
        assertTrue(devices.stream().noneMatch(d -> d.path().startsWith("/dev/pts/") || d.type().equals("p")));
    }

    @Test
    void deviceNumbersDecodeLikeGlibc() {
        long rdev = (0x123L << 8) | 0x45L | (0xabcdeL << 44) | (0x987L << 20);
        assertEquals(0xabcde123L, DeviceNodes.major(rdev));
        assertEquals(0x98745L, DeviceNodes.minor(rdev));
        assertEquals(259L, DeviceNodes.major((259L << 8) | 1));
    }
}
