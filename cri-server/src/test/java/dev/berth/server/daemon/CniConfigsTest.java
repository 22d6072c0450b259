package dev.berth.server.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.cni.CniConfig;
import dev.berth.server.config.BerthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniConfigsTest {

    @Test
    void emptyNetnsAndCacheDirsLandUnderStateAndRoot() {
        CniConfig cni = CniConfigs.from(BerthConfig.defaults().withRoot(Path.of("/srv/root")).withState(Path.of("/srv/state")));
        assertEquals(Path.of("/srv/state/netns"), cni.netnsDir());
        assertEquals(Path.of("/srv/root/cni/results"), cni.cacheDir());
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        CniConfig cni = CniConfigs.from(BerthConfig.defaults());
        assertEquals(List.of(Path.of("/etc/cni/net.d")), cni.confDirs());
        assertEquals(List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni")), cni.binDirs());
        assertEquals(Path.of("/run/berth/netns"), cni.netnsDir());
        assertEquals(Path.of("/var/lib/berth/cni/results"), cni.cacheDir());
        assertEquals(Duration.ofSeconds(60), cni.pluginTimeout());
        assertEquals(1048576, cni.maxOutputBytes());
        assertEquals(true, cni.writeDefaultConfig());
        assertEquals(new CniConfig.DefaultNetwork("berth", "berth0", "10.88.0.0/16", null), cni.defaultNetwork());
    }

    @Test
    void everyKeyIsCarriedOver() {
        BerthConfig config = BerthConfig.defaults().withCni(new BerthConfig.Cni(List.of(Path.of("/a"), Path.of("/b")), List.of(Path.of("/bin1")),
                Path.of("/ns"), Path.of("/cache"), 5, 8192, false, new BerthConfig.Cni.DefaultNetwork("lab", "lab0", "10.1.0.0/24")));
        CniConfig cni = CniConfigs.from(config);
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), cni.confDirs());
        assertEquals(List.of(Path.of("/bin1")), cni.binDirs());
        assertEquals(Path.of("/ns"), cni.netnsDir());
        assertEquals(Path.of("/cache"), cni.cacheDir());
        assertEquals(Duration.ofSeconds(5), cni.pluginTimeout());
        assertEquals(8192, cni.maxOutputBytes());
        assertEquals(false, cni.writeDefaultConfig());
        assertEquals(new CniConfig.DefaultNetwork("lab", "lab0", "10.1.0.0/24", null), cni.defaultNetwork());
    }
}
