package dev.berth.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.oci.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecOverridesTest {
    private static final Spec.Capabilities CAPS = new Spec.Capabilities(List.of("CAP_KILL"), List.of("CAP_KILL"), List.of(),
            List.of("CAP_KILL"), List.of());
    private static final Spec.Process CONFIG = new Spec.Process(false, new Spec.User(1000L, 100L, 18, List.of(10L)),
            List.of("sleep", "1000"), List.of("PATH=/bin", "HOME=/root"), "/srv", CAPS,
            List.of(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true, null, null, null);

    @Test
    void theContainersProcessIsTheBaseAndTheCommandReplacesItsArgs() {
        Spec.Process p = ExecOverrides.build(CONFIG, List.of("ls", "-l"), null, null, null);
        assertEquals(List.of("ls", "-l"), p.args());
        assertEquals(CONFIG.env(), p.env());
        assertEquals("/srv", p.cwd());
        assertEquals(CONFIG.user(), p.user());
        assertEquals(CAPS, p.capabilities());
        assertEquals(CONFIG.rlimits(), p.rlimits());
        assertTrue(p.noNewPrivileges());
        assertFalse(p.terminal());
    }

    @Test
    void envEntriesReplaceTheirKeyAndAddTheRestInOrder() {
        Spec.Process p = ExecOverrides.build(CONFIG, List.of("env"), List.of("HOME=/tmp", "A=1", "B=x=y"), null, null);
        assertEquals(List.of("PATH=/bin", "HOME=/tmp", "A=1", "B=x=y"), p.env());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecOverrides.build(CONFIG, List.of("env"), List.of("NOVALUE"), null, null));
        assertTrue(e.getMessage().contains("\"NOVALUE\" must be KEY=VALUE"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExecOverrides.build(CONFIG, List.of("env"), List.of("=x"), null, null));
    }

    @Test
    void cwdAndUserOverride() {
        Spec.Process p = ExecOverrides.build(CONFIG, List.of("id"), null, "/tmp", "0:0");
        assertEquals("/tmp", p.cwd());
        assertEquals(new Spec.User(0L, 0L, 18, List.of(10L)), p.user());
        Spec.Process uidOnly = ExecOverrides.build(CONFIG, List.of("id"), null, null, "65534");
        assertEquals(new Spec.User(65534L, 100L, 18, List.of(10L)), uidOnly.user(), "as runc: the gid stays the container's");
    }

    @Test
    void userMustBeNumeric() {
        for (String bad : new String[] {"nobody", "1:2:3", "-1", "1:", ":1", "4294967296"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecOverrides.build(CONFIG, List.of("id"), null, null, bad));
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void somethingMustBeRun() {
        Spec.Process noArgs = new Spec.Process(false, null, List.of(), null, null, null, null, null, null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecOverrides.build(noArgs, List.of(), null, null, null));
        assertTrue(e.getMessage().startsWith("nothing to run"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExecOverrides.build(null, null, null, null, null));
        assertEquals(List.of("sleep", "1000"), ExecOverrides.build(CONFIG, List.of(), null, null, null).args(),
                "a --process file's own args run when no command is given");
    }

    @Test
    void aTerminalProcessIsRefused() {
        Spec.Process tty = new Spec.Process(true, null, List.of("sh"), null, null, null, null, null, null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecOverrides.build(tty, List.of("sh"), null, null, null));
        assertTrue(e.getMessage().contains("terminals are not supported yet"), e.getMessage());
    }
}
