package dev.berth.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void namesWithOrWithoutSigInAnyCaseAsRunc() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(15, Signals.parse("term"));
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(9, Signals.parse("sigkill"));
        assertEquals(1, Signals.parse("HUP"));
        assertEquals(10, Signals.parse("USR1"));
        assertEquals(12, Signals.parse("SIGUSR2"));
        assertEquals(19, Signals.parse("STOP"));
        assertEquals(28, Signals.parse("WINCH"));
        assertEquals(6, Signals.parse("IOT"));
    }

    @Test
    void numbersFromOneToSixtyFour() {
        assertEquals(9, Signals.parse("9"));
        assertEquals(1, Signals.parse("1"));
        assertEquals(64, Signals.parse("64"));
        assertEquals(34, Signals.parse("34"));
    }

    @Test
    void outOfRangeNumbersAreRefused() {
        for (String bad : new String[] {"0", "65", "99999999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.parse(bad));
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        }
    }

    @Test
    void unknownNamesAreRefusedNamingThem() {
        for (String bad : new String[] {"", "SIG", "TERMINATE", "-9", "SIGKILL9", "9x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.parse(bad));
            assertTrue(e.getMessage().contains("unknown signal \"" + bad + "\""), e.getMessage());
        }
    }
}
