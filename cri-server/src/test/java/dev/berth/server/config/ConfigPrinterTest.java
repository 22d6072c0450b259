package dev.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {

    @Test
    void defaultPrintoutReadsBackAsTheDefaults() throws Exception {
        String printed = ConfigPrinter.print(BerthConfig.defaults());
        assertEquals(BerthConfig.defaults(), new ConfigLoader().parse("printed", printed));
    }

    @Test
    void everyKeyHasACommentAboveIt() {
        String[] lines = ConfigPrinter.print(BerthConfig.defaults()).split("\n");
        int keys = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(" = ") || lines[i].startsWith("[")) {
                keys++;
                assertTrue(lines[i - 1].startsWith("# "), "no comment above: " + lines[i]);
            }
        }
        assertTrue(keys >= 8, "printed " + keys + " keys");
    }

    @Test
    void changedValuesAreQuotedSoTheyReadBack() throws Exception {
        BerthConfig config = BerthConfig.defaults().withRoot(Path.of("/srv/with \"quote\" and \\ slash"));
        assertEquals(config, new ConfigLoader().parse("printed", ConfigPrinter.print(config)));
    }
}
