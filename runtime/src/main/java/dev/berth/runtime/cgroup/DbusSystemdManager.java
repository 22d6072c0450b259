package dev.berth.runtime.cgroup;

import dev.berth.runtime.cgroup.dbus.AuxUnitStruct;
import dev.berth.runtime.cgroup.dbus.PropertyStruct;
import dev.berth.runtime.cgroup.dbus.Systemd1Manager;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * {@link SystemdManager} over D-Bus (dbus-java): calls {@code org.freedesktop.systemd1.Manager}
 * at {@code /org/freedesktop/systemd1} on the bus, and for calls that queue a job waits for the
 * job's JobRemoved signal, as runc does through go-systemd.
 *
 * <p>The JobRemoved handler is installed before any call, and a job's end is kept by its job path
 * until the caller claims it, because the signal may be handled before the method's reply (they
 * arrive on different threads). Only jobs of units a caller waits for are kept. A connection
 * that dropped (dbus restarted) is made again on the next call.
 */
final class DbusSystemdManager implements SystemdManager {
    private static final Logger LOG = Logger.getLogger(DbusSystemdManager.class.getName());
    static final String BUS_NAME = "org.freedesktop.systemd1";
    static final String OBJECT_PATH = "/org/freedesktop/systemd1";
    static final String MANAGER_INTERFACE = "org.freedesktop.systemd1.Manager";
    /** How long runc waits for systemd to finish a job. */
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);
    /** dbus-java retries a refused connect every 500 ms for this long. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int UNKNOWN = Integer.MIN_VALUE;

    /** A way to the bus: the system bus, or an address (tests). */
    interface Connector {
        DBusConnection connect() throws DBusException;
    }

    private record Session(DBusConnection connection, Systemd1Manager manager, AutoCloseable jobSignals) {}

    private record Job(String unit, CompletableFuture<String> result) {}

    private final Connector connector;
    private final Duration timeout;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();
    private Session session;
    private volatile int version = UNKNOWN;

    private DbusSystemdManager(Connector connector, Duration timeout) {
        this.connector = connector;
        this.timeout = timeout;
    }

    /** systemd on the system bus ($DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket); fails when it cannot be reached. */
    static DbusSystemdManager systemBus() {
        return connect(() -> DBusConnectionBuilder.forSystemBus().withShared(false)
                .transportConfig().withTimeout((int) CONNECT_TIMEOUT.toMillis()).back().build(), JOB_TIMEOUT);
    }

    /** Connects now, so a bus that is not there fails at start rather than at the first container. */
    static DbusSystemdManager connect(Connector connector, Duration timeout) {
        DbusSystemdManager manager = new DbusSystemdManager(connector, timeout);
        manager.session();
        return manager;
    }

    @Override
    public void startTransientUnit(String unit, List<UnitProperty> properties) {
        runJob(unit, "StartTransientUnit", unit, "replace", wire(properties), List.<AuxUnitStruct>of());
    }

    @Override
    public void stopUnit(String unit) {
        runJob(unit, "StopUnit", unit, "replace");
    }

    @Override
    public void setUnitProperties(String unit, List<UnitProperty> properties) {
        call("SetUnitProperties", unit, true, wire(properties));
    }

    @Override
    public void resetFailedUnit(String unit) {
        call("ResetFailedUnit", unit);
    }

    /** Read once; -1 when systemd does not say (then only the properties every version knows are sent). */
    @Override
    public int version() {
        if (version == UNKNOWN) {
            try {
                Properties props = session().connection().getRemoteObject(BUS_NAME, OBJECT_PATH, Properties.class);
                Object text = props.Get(MANAGER_INTERFACE, "Version");
                version = parseVersion(String.valueOf(text));
            } catch (DBusException | RuntimeException e) {
                LOG.warning(() -> "cannot read systemd's version; sending only the unit properties every version knows: " + e.getMessage());
                version = -1;
            }
        }
        return version;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
    }

    /** "252.36-1~deb12u1", "v245.4-1.fc32" or "245" is 245 (runc's systemdVersionAtoi). */
    static int parseVersion(String text) {
        String digits = text.replaceFirst("^[\"v]+", "").replaceFirst("[^0-9].*$", "");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The D-Bus form of each property: its variant with the signature systemd expects. */
    @SuppressWarnings("unchecked")
    static List<PropertyStruct> wire(List<UnitProperty> properties) {
        return properties.stream().map(p -> new PropertyStruct(p.name(), switch (p.signature()) {
            case "b" -> new Variant<>((Boolean) p.value());
            case "s" -> new Variant<>((String) p.value());
            case "t" -> new Variant<>(new UInt64(Long.toUnsignedString((Long) p.value())));
            case "au" -> new Variant<>(((List<Long>) p.value()).stream().map(UInt32::new).toList(), "au");
            case "as" -> new Variant<>((List<String>) p.value(), "as");
            case "ay" -> new Variant<>(bytes((List<Integer>) p.value()));
            default -> throw new IllegalArgumentException("unit property " + p.name() + " has signature " + p.signature()
                    + ", which Berth does not send");
        })).toList();
    }

    private static byte[] bytes(List<Integer> values) {
        byte[] out = new byte[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).byteValue();
        }
        return out;
    }

    /** Calls a method that queues a job, and waits until systemd reports the job's end. */
    private void runJob(String unit, String method, Object... args) {
        waiting.merge(unit, 1, Integer::sum);
        String jobPath = null;
        try {
            jobPath = ((DBusPath) call(method, args)).getPath();
            String result = jobs.computeIfAbsent(jobPath, k -> new Job(unit, new CompletableFuture<>())).result()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!result.equals("done")) {
                throw new SystemdException(null, "systemd's " + method + " job for " + unit + " ended with result \"" + result
                        + "\"; see journalctl -u " + unit);
            }
        } catch (TimeoutException e) {
            throw new SystemdException("systemd did not finish the " + method + " job for " + unit + " within " + timeout.toSeconds()
                    + " s (no JobRemoved signal)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException("interrupted while waiting for systemd's " + method + " job for " + unit, e);
        } catch (ExecutionException e) {
            throw new SystemdException("systemd's " + method + " job for " + unit + " failed: " + e.getCause(), e.getCause());
        } finally {
            if (jobPath != null) {
                jobs.remove(jobPath);
            }
            waiting.compute(unit, (k, n) -> {
                if (n == null || n <= 1) {
                    jobs.values().removeIf(job -> job.unit().equals(unit)); // other clients' jobs on the unit
                    return null;
                }
                return n - 1;
            });
        }
    }

    private void jobRemoved(Systemd1Manager.JobRemoved signal) {
        if (signal.job() != null && waiting.containsKey(signal.unit())) {
            jobs.computeIfAbsent(signal.job().getPath(), k -> new Job(signal.unit(), new CompletableFuture<>()))
                    .result().complete(signal.result());
        }
    }

    /**
     * One method call; an error reply becomes a {@link SystemdException} carrying its D-Bus error
     * name (dbus-java's own exceptions lose it), so callers can tell UnitExists or NoSuchUnit.
     */
    private Object call(String method, Object... args) {
        Session s = session();
        try {
            DBusAsyncReply<?> reply = s.connection().callMethodAsync(s.manager(), method, args);
            Message answer = reply.getCall().getReply(timeout.toMillis());
            if (answer == null) {
                throw new SystemdException(null, "systemd did not answer " + method + " within " + timeout.toSeconds() + " s");
            }
            if (answer instanceof org.freedesktop.dbus.messages.Error error) {
                throw new SystemdException(error.getName(), "systemd refused " + method + "(" + args[0] + "): " + error.getName()
                        + text(error));
            }
            return reply.getMethod().getReturnType() == void.class ? null : reply.getReply();
        } catch (DBusException | RuntimeException e) {
            if (e instanceof SystemdException se) {
                throw se;
            }
            throw new SystemdException("cannot call systemd's " + method + " over D-Bus: " + e.getMessage(), e);
        }
    }

    private static String text(Message error) {
        try {
            Object[] params = error.getParameters();
            return params == null || params.length == 0 ? ""
                    : ": " + Arrays.stream(params).map(String::valueOf).collect(Collectors.joining(" "));
        } catch (DBusException e) {
            return "";
        }
    }

    /** The live session, made again when the connection dropped (the bus restarted). */
    private synchronized Session session() {
        if (session != null && session.connection().isConnected()) {
            return session;
        }
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
        DBusConnection connection = null;
        try {
            connection = connector.connect();
            Systemd1Manager manager = connection.getRemoteObject(BUS_NAME, OBJECT_PATH, Systemd1Manager.class);
            AutoCloseable signals = connection.addSigHandler(Systemd1Manager.JobRemoved.class, this::jobRemoved);
            Session fresh = new Session(connection, manager, signals);
            // systemd sends job signals once a client has subscribed (go-systemd does the same)
            manager.Subscribe();
            session = fresh;
            return fresh;
        } catch (DBusException | RuntimeException e) {
            if (connection != null) {
                connection.disconnect();
            }
            throw new SystemdException("cannot reach systemd over D-Bus: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Session s) {
        try {
            s.jobSignals().close();
        } catch (Exception e) {
            LOG.fine(() -> "closing the JobRemoved handler: " + e);
        }
        s.connection().disconnect();
    }
}
