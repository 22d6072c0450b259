package dev.berth.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniResultsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void podIpsAreSandboxAddressesIpv4FirstWithoutDuplicates() throws Exception {
        String result = """
                {"cniVersion":"1.0.0",
                 "interfaces":[{"name":"br0"},{"name":"veth1"},{"name":"eth0","sandbox":"/run/netns/p"}],
                 "ips":[{"address":"fd00:10::5/64","interface":2},
                        {"address":"10.22.0.1/16","interface":0},
                        {"address":"10.22.0.5/16","gateway":"10.22.0.1","interface":2},
                        {"address":"10.22.0.5/16","interface":2}]}""";
        assertEquals(List.of(InetAddress.getByName("10.22.0.5"), InetAddress.getByName("fd00:10::5")),
                CniResults.podIps("bridge", json.readTree(result)));
    }

    @Test
    void ipsWithoutInterfaceIndexCount() throws Exception {
        assertEquals(List.of(InetAddress.getByName("192.168.1.3")),
                CniResults.podIps("x", json.readTree("{\"ips\":[{\"address\":\"192.168.1.3/24\"}]}")));
    }

    @Test
    void hostNamesAreNeverResolved() {
        CniException e = assertThrows(CniException.class, () -> CniResults.podIps("x", json.readTree("{\"ips\":[{\"address\":\"example.com/24\"}]}")));
        assertEquals("CNI result holds an invalid address: \"example.com/24\"", e.getMessage());
    }
}
