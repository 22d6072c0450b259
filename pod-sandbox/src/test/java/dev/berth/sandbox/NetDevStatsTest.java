package dev.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetDevStatsTest {
    @Test
    void countersOfEveryInterfaceButLoopback() {
        List<String> lines = List.of(
                "Inter-|   Receive                                                |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
                "    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0",
                "  eth0:    1234      10    2    4    0     0          0         0     5678      20    3    5    0     0       0          0");
        assertEquals(List.of(new NetDevStats.Interface("eth0", 1234, 10, 2, 4, 5678, 20, 3, 5)), NetDevStats.parse(lines));
    }
}
