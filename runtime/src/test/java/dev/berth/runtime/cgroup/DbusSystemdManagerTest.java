package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real D-Bus client against a fake systemd on a private bus (the reference dbus-daemon on a
 * unix socket): what arrives on the wire is what systemd reads (method, argument types, each
 * property's variant signature), and the client waits for each job's JobRemoved signal, which
 * the bus routes by the client's match rule. This machine has no systemd; the fake answers as
 * org.freedesktop.systemd1(5) says systemd does.
 */
class DbusSystemdManagerTest {
    /** Only how long a broken test may hang: every call here is answered at once. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private PrivateBus bus;
    private DBusConnection systemdSide;
    private FakeSystemdBus systemd;
    private DbusSystemdManager client;
    private String address;

    @BeforeEach
    void startBusAndFakeSystemd() throws Exception {
        assumeTrue(PrivateBus.available(), "needs " + PrivateBus.DBUS_DAEMON + " (Debian's dbus-daemon, see scripts/install-deps.sh)");
        bus = PrivateBus.start(dir);
        address = bus.address();
        systemdSide = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        systemd = new FakeSystemdBus(systemdSide);
        systemdSide.requestBusName(DbusSystemdManager.BUS_NAME);
        systemdSide.exportObject(DbusSystemdManager.OBJECT_PATH, systemd);
        client = DbusSystemdManager.connect(() -> DBusConnectionBuilder.forAddress(address).withShared(false).build(), LIMIT);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (systemdSide != null) {
            systemdSide.disconnect();
        }
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void connectingSubscribesToSystemdsJobSignals() {
        assertTrue(systemd.subscribed);
    }

    @Test
    void aScopeArrivesWithEveryPropertyInTheTypeSystemdExpectsAndTheJobIsWaitedFor() {
        SystemdUnit unit = SystemdUnit.parse("kubepods-burstable-pod1.slice:berth:c1");
        List<UnitProperty> props = new ArrayList<>(SystemdProperties.scope(unit, 4242, true));
        props.addAll(SystemdProperties.resources(Limit.of().memory(64L << 20).quota(-1).cpus("0-3,8").pids(-1).build(), true, 252));

        client.startTransientUnit(unit.unit(), props);

        assertEquals(List.of("StartTransientUnit berth-c1.scope replace ["
                + "Description=s:berth container berth-c1.scope, Slice=s:kubepods-burstable-pod1.slice, Delegate=b:true, PIDs=au:[4242], "
                + "MemoryAccounting=b:true, CPUAccounting=b:true, IOAccounting=b:true, TasksAccounting=b:true, DefaultDependencies=b:false, "
                + "MemoryMax=t:67108864, CPUQuotaPerSecUSec=t:18446744073709551615, TasksMax=t:18446744073709551615, "
                + "AllowedCPUs=ay:[15, 1]] aux=0"), systemd.calls);
    }

    @Test
    void aSliceArrivesWithItsWantsAsAStringArray() {
        client.startTransientUnit("kubepods-burstable-pod1.slice",
                SystemdProperties.slice(SystemdUnit.parse("kubepods-burstable.slice:berth:kubepods-burstable-pod1.slice"), false));

        assertTrue(systemd.calls.get(0).contains("Wants=as:[kubepods-burstable.slice]"), systemd.calls.toString());
        assertTrue(systemd.calls.get(0).contains("BlockIOAccounting=b:true"), systemd.calls.toString());
    }

    @Test
    void anExistingUnitFailsWithSystemdsErrorName() {
        client.startTransientUnit("berth-c1.scope", List.of());

        SystemdException e = assertThrows(SystemdException.class, () -> client.startTransientUnit("berth-c1.scope", List.of()));

        assertEquals(SystemdException.UNIT_EXISTS, e.errorName());
        assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
    }

    @Test
    void stopWaitsForItsJobAndAnUnknownUnitIsNoSuchUnit() {
        client.startTransientUnit("berth-c1.scope", List.of());

        client.stopUnit("berth-c1.scope");
        SystemdException e = assertThrows(SystemdException.class, () -> client.stopUnit("berth-c1.scope"));

        assertEquals(SystemdException.NO_SUCH_UNIT, e.errorName());
        assertEquals(List.of("StartTransientUnit berth-c1.scope replace [] aux=0", "StopUnit berth-c1.scope replace",
                "StopUnit berth-c1.scope replace"), systemd.calls);
    }

    @Test
    void aJobThatEndsOtherThanDoneFailsNamingItsResult() {
        systemd.jobResult = "failed";

        SystemdException e = assertThrows(SystemdException.class, () -> client.startTransientUnit("berth-c1.scope", List.of()));

        assertTrue(e.getMessage().contains("ended with result \"failed\""), e.getMessage());
    }

    @Test
    void newLimitsAreARuntimeChange() {
        client.setUnitProperties("berth-c1.scope", List.of(UnitProperty.uint64("MemoryMax", 1024), UnitProperty.uint64("CPUWeight", 39)));
        client.resetFailedUnit("berth-c1.scope");

        assertEquals(List.of("SetUnitProperties berth-c1.scope runtime=true [MemoryMax=t:1024, CPUWeight=t:39]",
                "ResetFailedUnit berth-c1.scope"), systemd.calls);
    }

    @Test
    void theVersionIsReadOnceFromTheManagersVersionProperty() {
        assertEquals(252, client.version());
        assertEquals(252, client.version());

        assertEquals(List.of("Get org.freedesktop.systemd1.Manager Version"), systemd.calls);
    }

    @Test
    void theDriverRunsAContainersScopeOverTheBus(@TempDir Path cgroupRoot) {
        SystemdCgroups cgroups = FakeHost.unified(cgroupRoot, "cpu memory pids").systemd(client);
        String path = "kubepods-besteffort-pod7.slice:berth:c2";
        CgroupResources limits = Limit.of().pids(64).build();

        cgroups.create(path, limits);
        cgroups.adopt(path, 99, limits);
        cgroups.update(path, Limit.of().pids(32).build());
        cgroups.destroy(path);

        assertEquals(List.of("Get org.freedesktop.systemd1.Manager Version",
                "StartTransientUnit berth-c2.scope replace [Description=s:berth container berth-c2.scope,"
                        + " Slice=s:kubepods-besteffort-pod7.slice, Delegate=b:true, PIDs=au:[99], MemoryAccounting=b:true,"
                        + " CPUAccounting=b:true, IOAccounting=b:true, TasksAccounting=b:true, DefaultDependencies=b:false, TasksMax=t:64] aux=0",
                "SetUnitProperties berth-c2.scope runtime=true [TasksMax=t:32]",
                "StopUnit berth-c2.scope replace",
                "ResetFailedUnit berth-c2.scope"), systemd.calls);
    }

    @Test
    void noBusFailsAtConnectSayingSo() {
        String nowhere = "unix:path=" + dir.resolve("no-bus");
        SystemdException e = assertThrows(SystemdException.class,
                () -> DbusSystemdManager.connect(() -> DBusConnectionBuilder.forAddress(nowhere).withShared(false)
                        .transportConfig().withTimeout(500).back().build(), LIMIT));

        assertTrue(e.getMessage().startsWith("cannot reach systemd over D-Bus"), e.getMessage());
    }

    @Test
    void versionsAreReadAsRuncReadsThem() {
        assertEquals(252, DbusSystemdManager.parseVersion("252.36-1~deb12u1"));
        assertEquals(245, DbusSystemdManager.parseVersion("v245.4-1.fc32"));
        assertEquals(245, DbusSystemdManager.parseVersion("\"245\""));
        assertEquals(-1, DbusSystemdManager.parseVersion("unknown"));
    }
}
