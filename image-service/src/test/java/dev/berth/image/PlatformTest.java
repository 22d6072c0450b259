package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformTest {
    private static Descriptor entry(int n, String os, String arch, String variant) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[] {(byte) n}), 1,
                Optional.of(new Platform(os, arch, variant)));
    }

    @Test
    void picksTheHighestAmd64LevelTheHostRuns() {
        List<Descriptor> entries = List.of(entry(0, "linux", "arm64", "v8"), entry(1, "linux", "amd64", ""),
                entry(2, "linux", "amd64", "v3"), entry(3, "linux", "amd64", "v4"), entry(4, "windows", "amd64", ""));
        assertEquals(entries.get(1), Platform.chooseAmd64(entries, 1).orElseThrow());
        assertEquals(entries.get(2), Platform.chooseAmd64(entries, 3).orElseThrow());
        assertEquals(entries.get(3), Platform.chooseAmd64(entries, 4).orElseThrow());
    }

    @Test
    void acceptsX86_64SpellingAndRefusesUnknownVariants() {
        assertEquals(1, Platform.chooseAmd64(List.of(entry(0, "linux", "x86_64", "")), 1).stream().count());
        assertTrue(Platform.chooseAmd64(List.of(entry(0, "linux", "amd64", "v9")), 4).isEmpty());
        assertTrue(Platform.chooseAmd64(List.of(entry(0, "linux", "arm64", "")), 4).isEmpty());
    }

    @Test
    void hostLevelIsBetweenOneAndFour() {
        int level = Platform.hostAmd64Level();
        assertTrue(level >= 1 && level <= 4, "level " + level);
    }
}
