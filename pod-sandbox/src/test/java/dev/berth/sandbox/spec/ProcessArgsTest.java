package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cri.api.v1.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessArgsTest {
    private static final ImageDefaults IMAGE = new ImageDefaults(List.of("/entry.sh"), List.of("serve", "--port=80"), List.of(), "",
            "", "");

    private static List<String> argv(ContainerConfig.Builder config, ImageDefaults image) {
        return ProcessArgs.of(config.build(), image);
    }

    @Test
    void aCommandReplacesEntrypointAndCmd() {
        assertEquals(List.of("sh", "-c", "true"), argv(Fixtures.config("c").addCommand("sh").addArgs("-c").addArgs("true"), IMAGE));
        assertEquals(List.of("sleep"), argv(Fixtures.config("c").addCommand("sleep"), IMAGE));
    }

    @Test
    void argsReplaceOnlyTheImageCmd() {
        assertEquals(List.of("/entry.sh", "debug"), argv(Fixtures.config("c").addArgs("debug"), IMAGE));
    }

    @Test
    void withNeitherTheImageEntrypointAndCmdRun() {
        assertEquals(List.of("/entry.sh", "serve", "--port=80"), argv(Fixtures.config("c"), IMAGE));
    }

    @Test
    void anEmptyStringEntrypointMeansNone() {
        ImageDefaults image = new ImageDefaults(List.of(""), List.of("/bin/sh"), List.of(), "", "", "");
        assertEquals(List.of("/bin/sh"), argv(Fixtures.config("c"), image));
    }

    @Test
    void nothingToRunIsAnError() {
        SpecException e = assertThrows(SpecException.class, () -> argv(Fixtures.config("c"), ImageDefaults.NONE));
        assertTrue(e.getMessage().startsWith("no command specified"), e.getMessage());
    }
}
